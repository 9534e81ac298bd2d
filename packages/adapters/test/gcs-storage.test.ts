import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CancelledError, ConfigurationError, ProviderError, createPipeline } from '@scriptsensei/core';
import { probeMedia, runStorageProviderContract } from '@scriptsensei/core/testing';
import { createEspeakTTS } from '@scriptsensei/adapters/tts/espeak';
import { createSlides } from '@scriptsensei/adapters/images/slides';
import { createGcsStorage, type GcsStorageOptions } from '@scriptsensei/adapters/storage/gcs';
import { startGcsServer, type GcsTestServer } from './helpers/gcs-server.js';
import { collect, failure, thrown } from './helpers/outcomes.js';

/** A service account key made for these tests; the server checks signed URLs against its public half. */
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const credentials = { client_email: 'renderer@scriptsensei-test.iam.gserviceaccount.com', private_key: keys.privateKey };

/** The server's clock: tests move it forward to expire signed URLs. */
let clockOffsetMs = 0;
let server: GcsTestServer;
const scratch = mkdtempSync(join(tmpdir(), 'gcs-storage-'));
beforeAll(async () => {
  server = await startGcsServer({ publicKey: keys.publicKey, now: () => Date.now() + clockOffsetMs, maxPageSize: 2 });
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Options for the test server; each call gets its own key prefix, so each test owns its objects. */
const options = (extra: GcsStorageOptions = {}): GcsStorageOptions => ({
  bucket: server.bucket,
  apiEndpoint: server.endpoint,
  credentials,
  prefix: `test-${randomUUID()}/`,
  maxRetries: 1,
  env: {},
  ...extra,
});

const bytes = (value: string) => new TextEncoder().encode(value);

runStorageProviderContract({ name: 'gcs (local JSON API server)', create: () => createGcsStorage(options()) });

describe('gcs storage settings', () => {
  it('needs a bucket, and says to set GCS_BUCKET', () => {
    const error = thrown(() => createGcsStorage({ env: {} }));
    expect(ConfigurationError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/GCS_BUCKET/);
  });

  it('reads bucket, endpoint and URL lifetime from GCS_* variables', async () => {
    const storage = createGcsStorage({
      credentials,
      prefix: `env-${randomUUID()}`,
      env: { GCS_BUCKET: server.bucket, GCS_API_ENDPOINT: server.endpoint, GCS_URL_EXPIRES_SECONDS: '120' },
    });
    await storage.put('a.txt', bytes('from env'));
    expect(await text(await storage.get('a.txt'))).toBe('from env');
    const url = new URL(await storage.url('a.txt'));
    expect(url.origin + url.pathname).toBe(`${server.endpoint}/${server.bucket}/${storage.prefix}a.txt`);
    expect(url.searchParams.get('X-Goog-Expires')).toBe('120');
  });

  it.each<[string, GcsStorageOptions]>([
    ['a key without its private key', { bucket: 'b', credentials: { client_email: 'a@b.iam.gserviceaccount.com', private_key: '' }, env: {} }],
    ['a prefix leaving the bucket root', { bucket: 'b', prefix: 'a/../..', env: {} }],
    ['an endpoint without a scheme', { bucket: 'b', apiEndpoint: 'localhost:4443', env: {} }],
    ['a URL lifetime over a week', { env: { GCS_BUCKET: 'b', GCS_URL_EXPIRES_SECONDS: '604801' } }],
    ['negative retries', { bucket: 'b', maxRetries: -1, env: {} }],
  ])('refuses %s with a ConfigurationError', (_, settings) => {
    expect(ConfigurationError.is(thrown(() => createGcsStorage(settings)))).toBe(true);
  });

  it('loads without @google-cloud/storage, and its first call names the package to install', async () => {
    vi.resetModules();
    vi.doMock('@google-cloud/storage', () => {
      throw new Error("Cannot find package '@google-cloud/storage'");
    });
    try {
      const fresh = await import('@scriptsensei/adapters/storage/gcs');
      const error = await failure(fresh.createGcsStorage({ bucket: 'b', env: {} }).stat('a.txt'));
      expect(ConfigurationError.is(error)).toBe(true);
      expect((error as Error).message).toContain('npm install @google-cloud/storage');
    } finally {
      vi.doUnmock('@google-cloud/storage');
      vi.resetModules();
    }
  });
});

describe('gcs storage against the local server', () => {
  it('uploads byte arrays in one multipart request and streams with a resumable upload', async () => {
    const storage = createGcsStorage(options());
    const from = server.requests.length;
    await storage.put('bytes.txt', bytes('multipart'), { contentType: 'text/plain' });
    await storage.put('stream.txt', Readable.from(['resum', 'able']), { contentType: 'text/plain' });
    const uploads = server.requests.slice(from).filter((request) => request.includes('/upload/'));
    expect(uploads).toEqual([
      `POST /upload/storage/v1/b/${server.bucket}/o?uploadType=multipart`,
      `POST /upload/storage/v1/b/${server.bucket}/o?uploadType=resumable`,
      `PUT /upload/storage/v1/b/${server.bucket}/o?uploadType=resumable`,
    ]);
    expect(await storage.stat('stream.txt')).toMatchObject({ size: 9, contentType: 'text/plain' });
    expect(await text(await storage.get('stream.txt'))).toBe('resumable');
  });

  it('keeps the previous object when a stream fails midway', async () => {
    const storage = createGcsStorage(options());
    await storage.put('video.mp4', bytes('previous'));
    const failing = Readable.from(
      (function* () {
        for (let i = 0; i < 4; i++) yield Buffer.alloc(1024 * 1024, i);
        throw new Error('render crashed');
      })(),
    );
    const error = await failure(storage.put('video.mp4', failing));
    expect(ProviderError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/render crashed/);
    expect(await text(await storage.get('video.mp4'))).toBe('previous');
  });

  it('cancels a put through its signal: CancelledError, previous object intact', async () => {
    const storage = createGcsStorage(options());
    await storage.put('video.mp4', bytes('previous'));
    const controller = new AbortController();
    const endless = Readable.from(
      (function* () {
        for (let i = 0; ; i++) {
          if (i === 4) controller.abort();
          yield Buffer.alloc(1024 * 1024, i);
        }
      })(),
    );
    expect(CancelledError.is(await failure(storage.put('video.mp4', endless, { signal: controller.signal })))).toBe(true);
    expect(await text(await storage.get('video.mp4'))).toBe('previous');
  });

  it('lists page after page', async () => {
    const storage = createGcsStorage(options());
    for (const name of ['a', 'b', 'c', 'd', 'e']) await storage.put(`cache/${name}.bin`, bytes(name));
    const keys = (await collect(storage.list('cache/'))).map((object) => object.key);
    // The server answers at most 2 objects a page, as GCS may answer fewer than asked for.
    expect(keys.sort()).toEqual(['cache/a.bin', 'cache/b.bin', 'cache/c.bin', 'cache/d.bin', 'cache/e.bin']);
  });

  it('signs V4 URLs the server accepts, serves ranges through them, and refuses them once expired', async () => {
    const storage = createGcsStorage(options({ urlExpiresSeconds: 60 }));
    await storage.put('signed.txt', bytes('0123456789'));
    const url = await storage.url('signed.txt');
    expect(await (await fetch(url)).text()).toBe('0123456789');
    const part = await fetch(url, { headers: { Range: 'bytes=2-5' } });
    expect([part.status, await part.text()]).toEqual([206, '2345']);

    const tampered = new URL(url);
    tampered.searchParams.set('X-Goog-Expires', '604800');
    expect((await fetch(tampered)).status).toBe(403);

    clockOffsetMs = 61_000;
    try {
      const expired = await fetch(url);
      expect(expired.status).toBe(400);
      expect(await expired.text()).toMatch(/ExpiredToken/);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('gives unsigned URLs under publicBaseUrl', async () => {
    const storage = createGcsStorage(options({ publicBaseUrl: 'https://cdn.example.test/videos/' }));
    expect(await storage.url('a b/c.mp4')).toBe(`https://cdn.example.test/videos/${storage.prefix}a%20b/c.mp4`);
  });

  it('passes its health check, and fails it, not retryably, for a bucket that does not exist', async () => {
    await createGcsStorage(options()).healthCheck();
    const error = await failure(createGcsStorage(options({ bucket: 'no-such-bucket' })).healthCheck());
    expect(ProviderError.is(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'gcs', retryable: false, status: 404 });
  });

  it('a 403 is not retryable; a 503 that outlasts the client’s retries is; neither shows the key', async () => {
    const storage = createGcsStorage(options());
    server.failNext(403);
    const denied = await failure(storage.stat('a.txt'));
    expect(denied).toMatchObject({ retryable: false, status: 403 });
    server.failNext(503, 503);
    const from = server.requests.length;
    const unavailable = await failure(storage.stat('a.txt'));
    expect(unavailable).toMatchObject({ retryable: true, status: 503 });
    expect(server.requests.length - from).toBe(2); // maxRetries: 1
    for (const error of [denied, unavailable]) {
      expect(ProviderError.is(error)).toBe(true);
      expect((error as Error).message).not.toContain(keys.privateKey.split('\n')[1]);
    }
  });

  it('maxRetries: 0 makes one attempt', async () => {
    server.failNext(503);
    const from = server.requests.length;
    expect(await failure(createGcsStorage(options({ maxRetries: 0 })).stat('a.txt'))).toMatchObject({ retryable: true, status: 503 });
    expect(server.requests.length - from).toBe(1);
  });
});

describe('a rendered video in the local GCS server', () => {
  it('is uploaded by the pipeline and plays from its signed URL', async () => {
    const storage = createGcsStorage(options());
    const tempDir = mkdtempSync(join(scratch, 'render-'));
    const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage, tempDir });
    const result = await pipeline.run({ script: 'A video kept in Google Cloud Storage.', title: 'GCS' });
    const stored = await storage.stat(result.key);
    expect(stored).toMatchObject({ contentType: 'video/mp4' });
    const file = Buffer.from(await (await fetch(result.url)).arrayBuffer());
    expect(file.length).toBe(stored!.size);
    const path = join(tempDir, 'downloaded.mp4');
    writeFileSync(path, file);
    expect((await probeMedia(path)).streams.map((s) => s.codecName).sort()).toEqual(['aac', 'h264']);
  });
});
