import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, ValidationError } from '@scriptsensei/core';
import { openAIRetryable, redact, retryAfterMs, vendorCall, vendorDownload, vendorJson, vendorMessage } from '@scriptsensei/adapters/vendor';
import { startVendorServer, type VendorServer } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';

const SECRET = 'sk-test-0123456789abcdef';
let server: VendorServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vendor-http-'));
  server = await startVendorServer((request) => {
    if (request.path === '/v1/thing') return { body: { ok: true, echo: request.body.toString() } };
    if (request.path === '/files/big.bin') return { body: Buffer.alloc(5000, 1) };
    if (request.path === '/files/declared.bin') return { headers: { 'content-length': '5000' }, body: Buffer.alloc(5000, 2) };
    return { status: 404, body: { error: { message: `no route ${request.path}` } } };
  });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (http: { timeoutMs: number; maxRetries: number; retryBaseMs: number }, signal?: AbortSignal, body = 'payload') =>
  vendorJson({ provider: 'test-vendor', action: 'thing', url: `${server.url}/v1/thing`, headers: { authorization: `Bearer ${SECRET}` }, body, signal, secrets: [SECRET] }, http);

runVendorBehaviour({ name: 'vendorJson', server: () => server, call: (http, signal) => call(http, signal), secret: SECRET, path: '/v1/thing' });

describe('vendor HTTP calls', () => {
  it('sends a fresh body on every attempt when given a function', async () => {
    server.reset();
    server.failNext({ status: 502, body: 'bad gateway' });
    let made = 0;
    const result = await vendorJson<{ echo: string }>(
      { provider: 'test-vendor', action: 'thing', url: `${server.url}/v1/thing`, body: () => `attempt ${++made}` },
      { retryBaseMs: 1 },
    );
    expect(made).toBe(2);
    expect(server.requests.map((r) => r.body.toString())).toEqual(['attempt 1', 'attempt 2']);
    expect(result.echo).toBe('attempt 2');
  });

  it('gives up at once, retryable, when Retry-After asks for longer than it may wait', async () => {
    server.reset();
    server.failNext({ status: 429, headers: { 'retry-after': '3600' }, body: { error: { message: 'quota exhausted' } } });
    const error = await call({ timeoutMs: 5000, maxRetries: 3, retryBaseMs: 1 }).then(() => undefined, (e: unknown) => e);
    expect(ProviderError.is(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as ProviderError).status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it('downloads to a file, and refuses one over the byte limit without leaving a partial file', async () => {
    const path = join(dir, 'ok.bin');
    expect(await vendorDownload({ provider: 'test-vendor', action: 'download', url: `${server.url}/files/big.bin` }, {}, path, 10_000)).toMatchObject({ bytes: 5000 });
    expect((await readFile(path)).length).toBe(5000);
    for (const name of ['big.bin', 'declared.bin']) {
      const target = join(dir, `limited-${name}`);
      const error = await vendorDownload({ provider: 'test-vendor', action: 'download', url: `${server.url}/files/${name}` }, {}, target, 1000).then(() => undefined, (e: unknown) => e);
      expect(ProviderError.is(error), String(error)).toBe(true);
      expect((error as ProviderError).retryable).toBe(false);
      expect((error as ProviderError).message).toMatch(/1000-byte limit/);
      expect(existsSync(target)).toBe(false);
    }
  });

  it('redacts a key the vendor echoes where its message is cut short', async () => {
    server.reset();
    // The key starts at character 289 of the text: the 300-character cut would keep its first 11.
    server.failNext({ status: 401, body: `${'x'.repeat(260)} Incorrect API key provided: ${SECRET}` });
    const error = await call({ timeoutMs: 5000, maxRetries: 0, retryBaseMs: 1 }).then(() => undefined, (e: unknown) => e);
    expect((error as ProviderError).message).toContain('Incorrect API key provided: [red');
    expect((error as ProviderError).message).not.toContain(SECRET.slice(0, 6));
  });

  it('lets a provider judge an answer the status misjudges: OpenAI\'s insufficient_quota is final', async () => {
    server.reset();
    server.failNext({ status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } });
    const error = await vendorJson({ provider: 'openai', action: 'synthesis', url: `${server.url}/v1/thing`, retryable: openAIRetryable }, { retryBaseMs: 1 }).then(() => undefined, (e: unknown) => e);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as ProviderError).message).toContain('You exceeded your current quota');
    expect(server.requests).toHaveLength(1);
    server.reset();
    server.failNext({ status: 429, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } });
    await vendorJson({ provider: 'openai', action: 'synthesis', url: `${server.url}/v1/thing`, retryable: openAIRetryable }, { retryBaseMs: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry our own verdict on an answer', async () => {
    server.reset();
    const error = await vendorCall({ provider: 'test-vendor', action: 'thing', url: `${server.url}/v1/thing` }, { retryBaseMs: 1 }, async () => {
      throw new ValidationError([{ field: 'voice', message: 'the vendor has no such voice' }]);
    }).then(() => undefined, (e: unknown) => e);
    expect(ValidationError.is(error)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('a 404 is final, with the vendor message and the path, not the query', async () => {
    const error = await vendorJson({ provider: 'test-vendor', action: 'lookup', url: `${server.url}/v1/missing?key=${SECRET}` }, { retryBaseMs: 1 }).then(() => undefined, (e: unknown) => e);
    expect((error as ProviderError).message).toBe('test-vendor: lookup failed (/v1/missing): HTTP 404 Not Found: no route /v1/missing');
    expect((error as ProviderError).retryable).toBe(false);
  });
});

describe('vendor messages, waits and redaction', () => {
  it.each([
    [{ error: { message: 'Invalid voice', code: 400 } }, 'Invalid voice'],
    [{ detail: { status: 'voice_not_found', message: 'A voice with that id was not found' } }, 'A voice with that id was not found'],
    [{ errors: ['prompt is empty', 'size is wrong'], name: 'bad_request' }, 'prompt is empty; size is wrong'],
    [{ message: 'Rate limit reached' }, 'Rate limit reached'],
  ])('reads the vendor message from %j', async (body, expected) => {
    expect(await vendorMessage(new Response(JSON.stringify(body), { status: 400 }))).toBe(expected);
  });

  it('reads plain text, clipped', async () => {
    expect(await vendorMessage(new Response('upstream   exploded\n'))).toBe('upstream exploded');
    expect((await vendorMessage(new Response('x'.repeat(1000)))).length).toBe(301);
  });

  it('parses Retry-After as seconds, HTTP dates and retry-after-ms', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Sun, 29 Nov 2026 10:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now)).toBe(150);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('redacts secrets and credential query values, not short words', () => {
    expect(redact(`bad key ${SECRET} in https://x.test/a?key=abc123&size=1&X-Amz-Signature=deadbeef`, [SECRET, 'abc'])).toBe(
      'bad key [redacted] in https://x.test/a?key=[redacted]&size=1&X-Amz-Signature=[redacted]',
    );
  });
});
