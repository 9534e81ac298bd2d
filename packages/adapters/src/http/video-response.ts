import { Readable } from 'node:stream';
import type { StorageProvider } from '@scriptsensei/core';
import { HttpError } from './http-errors.js';

/** How a file is served when the storage's own facts are not what the client needs. */
export interface FileHeaders {
  /** @defaultValue the stored content type */
  contentType?: string;
  /** @defaultValue 'private, max-age=3600' */
  cacheControl?: string;
}

/**
 * A `Response` streaming a stored object, honouring a single `Range: bytes=` request (what a
 * `<video>` element sends when seeking). `HEAD` gets the headers only. Unsafe keys and missing
 * objects are both a plain 404, so nothing about the storage layout leaks.
 */
export async function videoResponse(storage: StorageProvider, key: string, range: string | undefined, head: boolean, fileHeaders: FileHeaders = {}): Promise<Response> {
  let info;
  try {
    info = await storage.stat(key);
  } catch {
    info = undefined;
  }
  if (!info) throw new HttpError(404, 'NOT_FOUND', 'No such file');
  const headers = new Headers({
    'accept-ranges': 'bytes',
    'content-type': fileHeaders.contentType ?? info.contentType ?? 'application/octet-stream',
    'cache-control': fileHeaders.cacheControl ?? 'private, max-age=3600',
  });
  if (info.lastModified) headers.set('last-modified', info.lastModified.toUTCString());

  let start = 0;
  let end = info.size - 1;
  let status = 200;
  if (range) {
    const parsed = parseRange(range, info.size);
    if (!parsed) {
      headers.set('content-range', `bytes */${info.size}`);
      return new Response(null, { status: 416, headers });
    }
    [start, end] = parsed;
    status = 206;
    headers.set('content-range', `bytes ${start}-${end}/${info.size}`);
  }
  headers.set('content-length', String(info.size === 0 ? 0 : end - start + 1));
  if (head || info.size === 0) return new Response(null, { status, headers });
  const body = await storage.get(key, status === 206 ? { range: { start, end } } : {});
  return new Response(Readable.toWeb(body) as ReadableStream, { status, headers });
}

/** `[start, end]` of a single satisfiable `bytes=` range, or undefined. Multiple ranges are refused. */
export function parseRange(header: string, size: number): [number, number] | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '') || size === 0) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return undefined;
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return undefined;
  return [start, end];
}
