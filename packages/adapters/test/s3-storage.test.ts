import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CancelledError, ConfigurationError, NotFoundError, ProviderError, createPipeline, createVideoJobs, type JobRecord } from '@scriptsensei/core';
import { probeMedia, runStorageProviderContract, until } from '@scriptsensei/core/testing';
import { createEspeakTTS } from '@scriptsensei/adapters/tts/espeak';
import { createSlides } from '@scriptsensei/adapters/images/slides';
import { createS3Storage, type S3StorageOptions } from '@scriptsensei/adapters/storage/s3';
import { startS3Server, type S3TestServer } from './helpers/s3-server.js';
import { startVendorServer, type Reply } from './helpers/vendor-server.js';
import { collect, failure, thrown } from './helpers/outcomes.js';

let server: S3TestServer;
const scratch = mkdtempSync(join(tmpdir(), 's3-storage-'));
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Options for the test server; each call gets its own key prefix, so each test owns its objects. */
const options = (extra: S3StorageOptions = {}): S3StorageOptions => ({
  bucket: server.bucket,
  endpoint: server.endpoint,
  credentials: server.credentials,
  prefix: `test-${randomUUID()}/`,
  env: {},
  ...extra,
});

const bytes = (value: string) => new TextEncoder().encode(value);
/** SigV4's `X-Amz-Date` form of a time: `20260101T120000Z`. */
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

runStorageProviderContract({ name: 's3 (s3rver)', create: () => createS3Storage(options()) });

describe('s3 storage settings', () => {
  it('needs a bucket, and says to set S3_BUCKET', () => {
    const error = thrown(() => createS3Storage({ env: {} }));
    expect(ConfigurationError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/S3_BUCKET/);
  });

  it('reads bucket, endpoint, region, credentials and URL lifetime from S3_* variables', async () => {
    const storage = createS3Storage({
      prefix: `env-${randomUUID()}`,
      env: {
        S3_BUCKET: server.bucket,
        S3_ENDPOINT: server.endpoint,
        S3_REGION: 'eu-west-3',
        S3_ACCESS_KEY_ID: server.credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
        S3_URL_EXPIRES_SECONDS: '120',
      },
    });
    expect(storage.prefix).toMatch(/^env-[\w-]+\/$/);
    await storage.put('a.txt', bytes('from env'));
    expect(await text(await storage.get('a.txt'))).toBe('from env');
    const url = new URL(await storage.url('a.txt'));
    // An endpoint means path style: the bucket is the first path segment.
    expect(url.origin + url.pathname).toBe(`${server.endpoint}/${server.bucket}/${storage.prefix}a.txt`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/eu-west-3\/s3\/aws4_request$/);
    expect(await (await fetch(url)).text()).toBe('from env');
  });

  it('falls back to AWS_REGION, then us-east-1, and addresses AWS buckets by host name', async () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    const inParis = new URL(await createS3Storage({ bucket: 'videos-bucket', credentials, env: { AWS_REGION: 'eu-west-3' } }).url('v.mp4'));
    expect(inParis.host).toBe('videos-bucket.s3.eu-west-3.amazonaws.com');
    expect(inParis.pathname).toBe('/v.mp4');
    const byDefault = new URL(await createS3Storage({ bucket: 'videos-bucket', credentials, env: {} }).url('v.mp4'));
    expect(byDefault.searchParams.get('X-Amz-Credential')).toContain('/us-east-1/s3/');
    expect(byDefault.searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('S3_FORCE_PATH_STYLE=0 turns path style off for an endpoint', async () => {
    const storage = createS3Storage({ ...options(), prefix: undefined, endpoint: 'https://s3.example.test', env: { S3_FORCE_PATH_STYLE: '0' } });
    expect(new URL(await storage.url('v.mp4')).host).toBe(`${server.bucket}.s3.example.test`);
  });

  it.each<[string, S3StorageOptions]>([
    ['half a key pair', { env: { S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'AKID' } }],
    ['a prefix leaving the bucket root', { bucket: 'b', prefix: '../up', env: {} }],
    ['an endpoint without a scheme', { bucket: 'b', endpoint: 'localhost:9000', env: {} }],
    ['a relative publicBaseUrl', { bucket: 'b', publicBaseUrl: '/videos', env: {} }],
    ['a URL lifetime over a week', { bucket: 'b', urlExpiresSeconds: 604_801, env: {} }],
    ['a URL lifetime that is not a number', { env: { S3_BUCKET: 'b', S3_URL_EXPIRES_SECONDS: 'soon' } }],
    ['parts under 5 MiB', { bucket: 'b', partSizeBytes: 1024 * 1024, env: {} }],
    ['a path-style flag that is not a boolean', { env: { S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'maybe' } }],
  ])('refuses %s with a ConfigurationError', (_, settings) => {
    expect(ConfigurationError.is(thrown(() => createS3Storage(settings)))).toBe(true);
  });

  it('loads without the AWS SDK, and its first call names the packages to install', async () => {
    const packages = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner'];
    vi.resetModules();
    for (const name of packages) {
      vi.doMock(name, () => {
        throw new Error(`Cannot find package '${name}'`);
      });
    }
    try {
      const fresh = await import('@scriptsensei/adapters/storage/s3');
      const storage = fresh.createS3Storage({ bucket: 'b', env: {} });
      const error = await failure(storage.stat('a.txt'));
      expect(ConfigurationError.is(error)).toBe(true);
      for (const name of packages) expect((error as Error).message).toContain(name);
    } finally {
      for (const name of packages) vi.doUnmock(name);
      vi.resetModules();
    }
  });
});

describe('s3 storage against s3rver', () => {
  it('keeps the previous object when a stream fails after its first part was uploaded', async () => {
    const storage = createS3Storage(options());
    await storage.put('video.mp4', bytes('previous'));
    const part = Buffer.alloc(1024 * 1024, 1);
    const failing = Readable.from(
      (function* () {
        for (let i = 0; i < 6; i++) yield part; // more than one 5 MiB part: a multipart upload has begun
        throw new Error('render crashed');
      })(),
    );
    const error = await failure(storage.put('video.mp4', failing));
    expect(ProviderError.is(error)).toBe(true);
    // The stream's failure, not that of the clean-up after it (s3rver cannot abort multipart uploads).
    expect((error as Error).message).toMatch(/render crashed/);
    expect(await text(await storage.get('video.mp4'))).toBe('previous');
  });

  it('cancels a put through its signal: CancelledError, previous object intact', async () => {
    const storage = createS3Storage(options());
    await storage.put('video.mp4', bytes('previous'));
    const controller = new AbortController();
    const part = Buffer.alloc(1024 * 1024, 2);
    const endless = Readable.from(
      (function* () {
        // Aborts once the first part is under way, then would go on for ever.
        for (let i = 0; ; i++) {
          if (i === 6) controller.abort();
          yield part;
        }
      })(),
    );
    expect(CancelledError.is(await failure(storage.put('video.mp4', endless, { signal: controller.signal })))).toBe(true);
    expect(await text(await storage.get('video.mp4'))).toBe('previous');
    expect(CancelledError.is(await failure(storage.put('other.mp4', bytes('x'), { signal: controller.signal })))).toBe(true);
  });

  it('stores the content type and reports size and modification time', async () => {
    const storage = createS3Storage(options());
    const before = Date.now() - 1000; // S3 keeps whole seconds
    const info = await storage.put('clip.mp4', bytes('not really a video'), { contentType: 'video/mp4' });
    expect(info).toMatchObject({ key: 'clip.mp4', size: 18, contentType: 'video/mp4' });
    expect(info.lastModified!.getTime()).toBeGreaterThanOrEqual(before);
    expect(await storage.stat('clip.mp4')).toEqual(info);
    const [listed] = await collect(storage.list(''));
    expect(listed).toEqual({ key: 'clip.mp4', size: 18, lastModified: info.lastModified });
  });

  it('gives unsigned URLs under publicBaseUrl', async () => {
    const storage = createS3Storage(options({ publicBaseUrl: `${server.endpoint}/${server.bucket}/` }));
    await storage.put('public/a b.txt', bytes('public'));
    const url = await storage.url('public/a b.txt');
    expect(url).toBe(`${server.endpoint}/${server.bucket}/${storage.prefix}public/a%20b.txt`);
    // s3rver serves requests that carry no signature, as a public bucket does.
    expect(await (await fetch(url)).text()).toBe('public');
  });

  it('refuses a presigned URL once it has expired', async () => {
    const storage = createS3Storage(options({ urlExpiresSeconds: 60 }));
    await storage.put('expiring.txt', bytes('for a minute'));
    const url = new URL(await storage.url('expiring.txt'));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(await (await fetch(url)).text()).toBe('for a minute');
    // The same URL signed 61 s ago. (s3rver checks the expiry but not SigV4 signatures, so the
    // date can be moved; real S3 would refuse the edit itself as a signature mismatch.)
    url.searchParams.set('X-Amz-Date', amzDate(Date.now() - 61_000));
    const refused = await fetch(url);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/Request has expired/);
  });

  it('passes its health check, and fails it, not retryably, for a bucket that does not exist', async () => {
    await createS3Storage(options()).healthCheck();
    const error = await failure(createS3Storage(options({ bucket: 'no-such-bucket' })).healthCheck());
    expect(ProviderError.is(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, status: 404 });
  });

  it('a wrong credential is a ProviderError that is not retried and never shows the secret', async () => {
    const secretAccessKey = 'tOpSeCrEt/never-in-messages+0123456789';
    const storage = createS3Storage(options({ credentials: { accessKeyId: 'AKIAWRONGKEY', secretAccessKey } }));
    for (const attempt of [() => storage.put('a.txt', bytes('x')), () => storage.get('a.txt'), () => storage.healthCheck()]) {
      const error = await failure(attempt());
      expect(ProviderError.is(error)).toBe(true);
      expect(error).toMatchObject({ provider: 's3', retryable: false, status: 403 });
      expect((error as Error).message).toMatch(/InvalidAccessKeyId|access denied/);
      expect(JSON.stringify({ message: (error as Error).message, json: error })).not.toContain(secretAccessKey);
    }
  });
});

describe('s3 storage against a scripted server', () => {
  /** A server answering every request with `reply`, and a storage pointed at it. */
  async function scripted(reply: (url: URL) => Reply, secretAccessKey = 'scripted-secret-0123456789') {
    const vendor = await startVendorServer((request) => reply(request.url));
    const storage = createS3Storage({ bucket: 'b', endpoint: vendor.url, credentials: { accessKeyId: 'AKID', secretAccessKey }, env: {} });
    return { vendor, storage };
  }
  const s3Error = (status: number, code: string, message: string): Reply => ({
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  });

  it('redacts a secret the server echoes back', async () => {
    const secret = 'echoed-secret-0123456789';
    const { vendor, storage } = await scripted(() => s3Error(400, 'InvalidRequest', `bad signature for key ${secret}`), secret);
    try {
      const error = await failure(storage.get('a.txt'));
      expect(error).toMatchObject({ retryable: false, status: 400 });
      expect((error as Error).message).toContain('[redacted]');
      expect((error as Error).message).not.toContain(secret);
    } finally {
      await vendor.close();
    }
  });

  it.each([
    [500, 'InternalError'],
    [503, 'SlowDown'],
  ])('a %i %s is a retryable ProviderError (after the SDK’s own retries)', async (status, code) => {
    const { vendor, storage } = await scripted(() => s3Error(status, code, 'try later'));
    try {
      const error = await failure(storage.stat('a.txt'));
      expect(ProviderError.is(error)).toBe(true);
      expect(error).toMatchObject({ retryable: true, status });
      expect(vendor.requests.length).toBeGreaterThan(1);
    } finally {
      await vendor.close();
    }
  });

  it('an unreachable server is a retryable ProviderError', async () => {
    const vendor = await startVendorServer(() => ({ status: 200 }));
    await vendor.close();
    const error = await failure(createS3Storage({ bucket: 'b', endpoint: vendor.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'closed-0123456789' }, env: {} }).healthCheck());
    expect(ProviderError.is(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, status: undefined });
  });

  it('lists page by page under the prefix', async () => {
    const page = (keys: string[], next?: string): Reply => ({
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><IsTruncated>${Boolean(next)}</IsTruncated>${keys
        .map((key) => `<Contents><Key>${key}</Key><Size>${key.length}</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents>`)
        .join('')}${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}</ListBucketResult>`,
    });
    const vendor = await startVendorServer((request) =>
      request.url.searchParams.get('continuation-token') === 'page-2' ? page(['app/cache/c.bin']) : page(['app/cache/a.bin', 'app/cache/', 'app/cache/b.bin'], 'page-2'),
    );
    try {
      const storage = createS3Storage({ bucket: 'b', endpoint: vendor.url, prefix: 'app', credentials: { accessKeyId: 'AKID', secretAccessKey: 'list-secret-0123' }, env: {} });
      const keys = (await collect(storage.list('cache/'))).map((object) => object.key);
      // The folder marker `app/cache/` is no key this API could address.
      expect(keys).toEqual(['cache/a.bin', 'cache/b.bin', 'cache/c.bin']);
      expect(vendor.requests.map((r) => [r.url.searchParams.get('prefix'), r.url.searchParams.get('continuation-token')])).toEqual([
        ['app/cache/', null],
        ['app/cache/', 'page-2'],
      ]);
    } finally {
      await vendor.close();
    }
  });
});

describe('a rendered video in s3rver', () => {
  it('is stored by a job, served by byte range through its presigned URL, and swept after retention', async () => {
    const storage = createS3Storage(options());
    const tempDir = mkdtempSync(join(scratch, 'render-'));
    const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage, tempDir });
    // Sweeps run only when the test calls them; every finished job is past a 1 ms retention.
    const jobs = await createVideoJobs({ pipeline, concurrency: 1, retentionMs: 1, sweepIntervalMs: 3_600_000 });
    try {
      const succeeded = new Promise<JobRecord>((resolve, reject) => {
        jobs.on('succeeded', resolve);
        jobs.on('failed', (job) => reject(new Error(`render failed: ${job.message}`)));
      });
      await jobs.submit({ script: 'A video kept in a bucket.\n\nServed by range, then swept.', title: 'S3' });
      const { result } = await succeeded;
      const stored = await storage.stat(result!.key);
      expect(stored).toMatchObject({ contentType: 'video/mp4' });

      // The whole file, through the presigned URL the job recorded, is a playable MP4.
      const whole = await fetch(result!.url);
      expect(whole.status).toBe(200);
      const file = Buffer.from(await whole.arrayBuffer());
      expect(file.length).toBe(stored!.size);
      const path = join(tempDir, 'downloaded.mp4');
      writeFileSync(path, file);
      expect((await probeMedia(path)).streams.map((s) => s.codecName).sort()).toEqual(['aac', 'h264']);

      // A byte range, as a video player asks for it.
      const part = await fetch(result!.url, { headers: { Range: 'bytes=100-1123' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-1123/${file.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(100, 1124))).toBe(true);

      await until(async () => (await jobs.sweep()) === 1);
      expect(await storage.exists(result!.key)).toBe(false);
      expect(await collect(storage.list(''))).toEqual([]);
      expect((await fetch(result!.url)).status).toBe(404);
      await expect(storage.get(result!.key)).rejects.toSatisfy(NotFoundError.is);
    } finally {
      await jobs.close();
    }
  });
});
