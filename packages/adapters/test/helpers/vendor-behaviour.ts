import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ProviderError } from '@scriptsensei/core';
import type { VendorServer } from './vendor-server.js';
import { failure } from './outcomes.js';

export interface VendorBehaviourOptions {
  /** Suite name, e.g. `azure-tts`. */
  name: string;
  /** The local vendor server the provider is pointed at (started by the test file). */
  server: () => VendorServer;
  /**
   * Makes one call through the provider, created with this suite's HTTP settings (a short
   * timeout, one or two retries, fast backoff) and `secret` as its key.
   */
  call: (http: { timeoutMs: number; maxRetries: number; retryBaseMs: number }, signal?: AbortSignal) => Promise<unknown>;
  /** The key the provider was given: it must never appear in an error. */
  secret: string;
  /** The path of the vendor endpoint `call` hits first (retries are counted on it). */
  path: string | RegExp;
}

const FAST = { timeoutMs: 400, maxRetries: 2, retryBaseMs: 5 };

/**
 * What every HTTP provider must do with a vendor's failures: 401 fails at once with the vendor's
 * message (never the key), 429 waits the `Retry-After` it was given, 5xx and timeouts are retried
 * and end retryable, and the caller's signal cancels a request in flight.
 */
export function runVendorBehaviour(options: VendorBehaviourOptions): void {
  describe(`vendor HTTP behaviour: ${options.name}`, () => {
    let server: VendorServer;
    const hits = () => server.requests.filter((r) => (typeof options.path === 'string' ? r.path === options.path : options.path.test(r.path))).length;
    beforeAll(() => {
      server = options.server();
    });
    afterAll(() => server.reset());

    it('401: fails at once, not retryable, with the vendor message and without the key', async () => {
      server.reset();
      server.failNext({ status: 401, body: { error: { message: `Access denied due to invalid subscription key ${options.secret}` } } });
      // A long timeout: under load a 400 ms one can fire before the 401 is read, and the call
      // is then retried as a timeout. Only the "no answer" case needs the short one.
      const error = await failure(options.call({ ...FAST, timeoutMs: 10_000 }));
      expect(ProviderError.is(error), String(error)).toBe(true);
      const e = error as ProviderError;
      expect(e.retryable).toBe(false);
      expect(e.status).toBe(401);
      expect(e.message).toContain('Access denied due to invalid subscription key');
      expect(e.message).not.toContain(options.secret);
      expect(JSON.stringify(e)).not.toContain(options.secret);
      expect(hits()).toBe(1);
    });

    it('429 with Retry-After: waits that long, then succeeds', async () => {
      server.reset();
      server.failNext({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Too many requests' } } });
      const started = Date.now();
      await options.call({ ...FAST, timeoutMs: 10_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(hits()).toBeGreaterThanOrEqual(2);
    });

    it('500: retried, then succeeds', async () => {
      server.reset();
      server.failNext({ status: 500, body: 'internal error' }, { status: 503, body: 'busy' });
      await options.call({ ...FAST, timeoutMs: 10_000 });
      expect(hits()).toBeGreaterThanOrEqual(3);
    });

    it('500 every time: a retryable ProviderError once retries run out', async () => {
      server.reset();
      server.failNext(...Array.from({ length: FAST.maxRetries + 1 }, () => ({ status: 500, body: { message: 'the vendor is down' } })));
      const error = await failure(options.call({ ...FAST, timeoutMs: 10_000 }));
      expect(ProviderError.is(error), String(error)).toBe(true);
      expect((error as ProviderError).retryable).toBe(true);
      expect((error as ProviderError).status).toBe(500);
      expect((error as ProviderError).message).toContain('the vendor is down');
      expect(hits()).toBe(FAST.maxRetries + 1);
    });

    it('no answer: each attempt times out, then a retryable error', async () => {
      server.reset();
      server.failNext(...Array.from({ length: FAST.maxRetries + 1 }, () => 'hang' as const));
      const error = await failure(options.call(FAST));
      expect(ProviderError.is(error), String(error)).toBe(true);
      expect((error as ProviderError).retryable).toBe(true);
      expect((error as ProviderError).message).toMatch(/within 400 ms/);
      expect(hits()).toBe(FAST.maxRetries + 1);
    });

    it('the signal cancels a request in flight', async () => {
      server.reset();
      server.failNext('hang');
      const controller = new AbortController();
      const arrived = server.nextRequest();
      const pending = failure(options.call({ ...FAST, timeoutMs: 30_000 }, controller.signal));
      await arrived;
      controller.abort();
      expect(CancelledError.is(await pending)).toBe(true);
    });
  });
}
