import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../errors.js';
import type { StorageProvider } from '../specs/storage-provider.js';

export interface StorageContractOptions {
  name: string;
  create: () => StorageProvider | Promise<StorageProvider>;
  /** Removes everything the suite wrote (e.g. deletes a temp directory or a key prefix). */
  cleanup?: () => Promise<void>;
  skip?: string;
}

/** Keys that must never be accepted: each tries to leave the storage root or hide a byte. */
export const UNSAFE_KEYS = [
  '../escape.mp4',
  'videos/../../escape.mp4',
  '/etc/passwd',
  'C:/windows/win.ini',
  'videos\\..\\escape.mp4',
  'videos/a\u0000.mp4',
  'videos//double.mp4',
  './videos/a.mp4',
  'videos/..',
  '',
];

/** The behaviour every `StorageProvider` must show. */
export function runStorageProviderContract(options: StorageContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`StorageProvider contract: ${options.name}`, () => {
    let storage: StorageProvider;
    beforeAll(async () => {
      storage = await options.create();
    });
    afterAll(async () => {
      await options.cleanup?.();
    });

    it('declares its specification version and id', () => {
      expect(storage.specificationVersion).toBe('v1');
      expect(storage.provider).toMatch(/^[\w-]+$/);
    });

    it('stores bytes and streams them back', async () => {
      const info = await storage.put('contract/bytes.txt', new TextEncoder().encode('hello bytes'));
      expect(info).toMatchObject({ key: 'contract/bytes.txt', size: 11 });
      expect(await text(await storage.get('contract/bytes.txt'))).toBe('hello bytes');
      expect(await storage.exists('contract/bytes.txt')).toBe(true);
      expect((await storage.stat('contract/bytes.txt'))?.size).toBe(11);
    });

    it('stores a large stream without losing a byte', async () => {
      const chunk = Buffer.alloc(64 * 1024, 7);
      const chunks = 160; // 10 MiB
      const body = Readable.from((function* () {
        for (let i = 0; i < chunks; i++) yield chunk;
      })());
      const info = await storage.put('contract/large.bin', body, { contentType: 'application/octet-stream' });
      expect(info.size).toBe(chunk.length * chunks);
      let total = 0;
      for await (const part of await storage.get('contract/large.bin')) total += (part as Buffer).length;
      expect(total).toBe(chunk.length * chunks);
    });

    it('serves inclusive byte ranges', async () => {
      await storage.put('contract/range.txt', new TextEncoder().encode('0123456789'));
      expect(await text(await storage.get('contract/range.txt', { range: { start: 2, end: 5 } }))).toBe('2345');
      expect(await text(await storage.get('contract/range.txt', { range: { start: 8, end: 100 } }))).toBe('89');
    });

    it('replaces an object on a second put', async () => {
      await storage.put('contract/replace.txt', new TextEncoder().encode('first version'));
      await storage.put('contract/replace.txt', new TextEncoder().encode('second'));
      expect(await text(await storage.get('contract/replace.txt'))).toBe('second');
    });

    it('keeps the previous object when a put fails midway', async () => {
      await storage.put('contract/atomic.txt', new TextEncoder().encode('intact'));
      const failing = new Readable({
        read() {
          this.push('partial');
          this.destroy(new Error('upload broke'));
        },
      });
      await expect(storage.put('contract/atomic.txt', failing)).rejects.toThrow();
      expect(await text(await storage.get('contract/atomic.txt'))).toBe('intact');
    });

    it('reports missing objects as NotFoundError / undefined / false', async () => {
      await expect(storage.get('contract/missing.txt')).rejects.toSatisfy(NotFoundError.is);
      expect(await storage.stat('contract/missing.txt')).toBeUndefined();
      expect(await storage.exists('contract/missing.txt')).toBe(false);
    });

    it('deletes, and deleting twice is fine', async () => {
      await storage.put('contract/delete.txt', new TextEncoder().encode('x'));
      await storage.delete('contract/delete.txt');
      await storage.delete('contract/delete.txt');
      expect(await storage.exists('contract/delete.txt')).toBe(false);
    });

    it('gives a URL for a key', async () => {
      await storage.put('contract/url name.txt', new TextEncoder().encode('u'));
      expect(await storage.url('contract/url name.txt')).toMatch(/^(file|https?):\/\//);
    });

    it('lists the objects under a prefix, when it can list', async (context) => {
      const list = storage.list?.bind(storage);
      if (!list) return context.skip();
      await storage.put('listed/a.txt', new TextEncoder().encode('a'));
      await storage.put('listed/deeper/b.txt', new TextEncoder().encode('bb'));
      await storage.put('elsewhere/c.txt', new TextEncoder().encode('c'));
      const found = [];
      for await (const object of list('listed/')) found.push([object.key, object.size]);
      expect(found.sort()).toEqual([
        ['listed/a.txt', 1],
        ['listed/deeper/b.txt', 2],
      ]);
      const none = [];
      for await (const object of list('no-such-folder/')) none.push(object);
      expect(none).toEqual([]);
      await expect((async () => {
        for await (const object of list('../')) void object;
      })()).rejects.toSatisfy(ValidationError.is);
    });

    for (const key of UNSAFE_KEYS) {
      it(`rejects unsafe key ${JSON.stringify(key)} everywhere`, async () => {
        const body = new TextEncoder().encode('x');
        await expect(storage.put(key, body)).rejects.toSatisfy(ValidationError.is);
        await expect(storage.get(key)).rejects.toSatisfy(ValidationError.is);
        await expect(storage.stat(key)).rejects.toSatisfy(ValidationError.is);
        await expect(storage.delete(key)).rejects.toSatisfy(ValidationError.is);
        await expect(storage.url(key)).rejects.toSatisfy(ValidationError.is);
      });
    }
  });
}
