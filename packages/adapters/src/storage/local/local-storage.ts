import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { ByteRange, PutOptions, StorageProvider, StoredObjectInfo } from '@scriptsensei/core';
import { ConfigurationError, NotFoundError, ValidationError, assertSafeKey } from '@scriptsensei/core';
import { defaultStorageDirectory } from './default-directory.js';

export interface LocalStorageOptions {
  /**
   * Directory holding the objects; created on first write.
   * @defaultValue `SCRIPTSENSEI_STORAGE_DIR`, else the user's data directory (see `defaultStorageDirectory`), never the current directory
   */
  directory?: string;
  /**
   * Public base URL that serves `directory` (e.g. `http://localhost:8012/api/v1/videos`).
   * `url(key)` returns `${baseUrl}/${key}`; without it, a `file://` URL.
   * @defaultValue undefined
   */
  baseUrl?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

/**
 * Objects as files under one directory. Keys are checked with `assertSafeKey` and the resolved
 * path is checked again to lie inside the root, so no key can reach outside it. Writes go to a
 * temporary file renamed into place, so readers never see half an object.
 */
export function createLocalStorage(options: LocalStorageOptions = {}): StorageProvider & { readonly root: string } {
  const root = resolve(options.directory ?? defaultStorageDirectory());
  const inside = root.endsWith(sep) ? root : root + sep;
  const baseUrl = options.baseUrl?.replace(/\/+$/, '');
  if (baseUrl !== undefined && !/^https?:\/\//.test(baseUrl)) {
    throw new ConfigurationError(`local storage baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
  }

  const pathOf = (key: string): string => {
    assertSafeKey(key);
    const path = join(root, ...key.split('/'));
    if (!path.startsWith(inside) || isAbsolute(key)) throw new ValidationError([{ field: 'key', message: 'escapes the storage root' }]);
    return path;
  };

  async function info(key: string): Promise<StoredObjectInfo | undefined> {
    try {
      const stats = await stat(pathOf(key));
      if (!stats.isFile()) return undefined;
      return { key, size: stats.size, contentType: contentTypeOf(key), lastModified: stats.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  return {
    specificationVersion: 'v1',
    provider: 'local',
    root,
    async put(key: string, body: Readable | Uint8Array, putOptions: PutOptions = {}) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomUUID()}.partial`;
      try {
        const source = body instanceof Uint8Array ? Readable.from([body]) : body;
        await pipeline(source, createWriteStream(temp), { signal: putOptions.signal });
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return (await info(key))!;
    },
    async get(key: string, getOptions: { range?: ByteRange } = {}) {
      const path = pathOf(key);
      const found = await info(key);
      if (!found) throw new NotFoundError(`No stored object "${key}"`);
      const range = getOptions.range;
      if (range && (range.start < 0 || range.end < range.start || range.start >= found.size)) {
        throw new ValidationError([{ field: 'range', message: `must lie within 0-${found.size - 1}` }]);
      }
      return createReadStream(path, range ? { start: range.start, end: Math.min(range.end, found.size - 1) } : {});
    },
    stat: info,
    async exists(key: string) {
      return (await info(key)) !== undefined;
    },
    async delete(key: string) {
      await rm(pathOf(key), { force: true });
    },
    async url(key: string) {
      const path = pathOf(key);
      return baseUrl ? `${baseUrl}/${key.split('/').map(encodeURIComponent).join('/')}` : pathToFileURL(path).href;
    },
    async healthCheck() {
      await mkdir(root, { recursive: true });
    },
    async *list(prefix: string) {
      const folder = prefix.replace(/\/+$/, '');
      let entries;
      try {
        entries = await readdir(folder ? pathOf(folder) : root, { recursive: true, withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        // In-flight writes are not objects yet.
        if (!entry.isFile() || entry.name.endsWith('.partial')) continue;
        const key = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
        const found = await info(key).catch(() => undefined);
        if (found) yield found;
      }
    },
  };
}

function contentTypeOf(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  return dot >= 0 ? CONTENT_TYPES[key.slice(dot).toLowerCase()] : undefined;
}
