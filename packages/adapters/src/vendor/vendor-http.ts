import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ProviderError, ScriptSenseiError, toCancelled } from '@scriptsensei/core';
import { backoffMs, retryAfterMs } from './retry-after.js';
import { redact } from './secrets.js';
import { VENDOR_HTTP_DEFAULTS, type VendorHttpOptions } from './vendor-options.js';

/** One call to a vendor's HTTP API. */
export interface VendorRequest {
  /** Provider id, the prefix of every error (`azure: …`). */
  provider: string;
  /** What the call does, for errors: e.g. `synthesis` or `image search`. */
  action: string;
  url: string | URL;
  /** @defaultValue 'GET', or 'POST' when there is a body */
  method?: string;
  headers?: Record<string, string>;
  /** The body, or a function making a fresh one for each attempt (a stream or form is sent once). */
  body?: BodyInit | (() => BodyInit);
  /** Cancels the call: the request is aborted and a `CancelledError` thrown, waits included. */
  signal?: AbortSignal | undefined;
  /** Values that must never appear in an error (keys, tokens): they are redacted. */
  secrets?: readonly (string | undefined)[];
  /**
   * Decides whether an error answer is worth another attempt, where the status alone misleads
   * (OpenAI's 429 `insufficient_quota` will not pass by waiting). `undefined` keeps the rule:
   * 408, 425, 429 and 5xx are retried.
   */
  retryable?: (status: number, body: string) => boolean | undefined;
}

/** Statuses worth another attempt: the vendor was busy, rate-limited us, or failed inside. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Why an attempt failed, and whether (and after how long) to try again. */
interface AttemptFailure {
  error: ProviderError;
  retryAfterMs?: number;
}

/**
 * Calls a vendor and hands the successful response to `read`, all within one attempt's timeout.
 * A 408/429/5xx answer, a timeout or a network failure is retried with exponential backoff, or
 * after the `Retry-After` the vendor sent (up to `maxRetryDelayMs`); once retries run out the
 * `ProviderError` is retryable, so the job engine may try the job again later. Any other 4xx is a
 * non-retryable `ProviderError` carrying the vendor's own message and `status`. Secrets never
 * reach an error message.
 */
export async function vendorCall<T>(request: VendorRequest, options: VendorHttpOptions, read: (response: Response) => Promise<T>): Promise<T> {
  const settings = { ...VENDOR_HTTP_DEFAULTS, ...definedOnly(options) };
  const doFetch = options.fetch ?? globalThis.fetch;
  const { signal } = request;
  const url = String(request.url);
  const where = new URL(url).pathname;
  const fail = (message: string, extra: { status?: number; retryable: boolean; cause?: unknown }) =>
    new ProviderError(request.provider, redact(`${request.action} failed (${where}): ${message}`, request.secrets ?? []), extra);

  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw toCancelled(signal.reason);
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let failure: AttemptFailure;
    try {
      const body = typeof request.body === 'function' ? request.body() : request.body;
      const response = await doFetch(url, {
        method: request.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: request.headers,
        body,
        signal: attemptSignal,
        // A streamed body must say so to Node's fetch.
        ...(body instanceof ReadableStream || body instanceof Readable ? { duplex: 'half' } : {}),
      } as RequestInit);
      if (response.ok) return await read(response);
      const text = await response.text().catch(() => '');
      const status = response.status;
      const retryable = request.retryable?.(status, text) ?? isRetryableStatus(status);
      const message = messageOf(text, response.statusText, request.secrets ?? []);
      const error = fail(`HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}: ${message}`, { status, retryable });
      if (!error.retryable) throw error;
      failure = { error, retryAfterMs: retryAfterMs(response.headers) };
    } catch (error) {
      if (signal?.aborted) throw toCancelled(signal.reason);
      // Our own verdicts (a bad answer, a missing module) stand; only failures of the call are retried.
      if (ScriptSenseiError.is(error) && !(ProviderError.is(error) && error.retryable)) throw error;
      failure = ProviderError.is(error)
        ? { error }
        : timeout.aborted
          ? { error: fail(`no complete answer within ${settings.timeoutMs} ms`, { retryable: true, cause: error }) }
          : { error: fail(networkMessage(error), { retryable: true, cause: error }) };
    }
    if (attempt >= settings.maxRetries) throw failure.error;
    const delay = failure.retryAfterMs ?? backoffMs(attempt, settings.retryBaseMs);
    if (delay > settings.maxRetryDelayMs) throw failure.error;
    try {
      await sleep(delay, undefined, signal ? { signal } : undefined);
    } catch {
      throw toCancelled(signal?.reason);
    }
  }
}

/** Calls a vendor and parses its JSON answer. */
export function vendorJson<T>(request: VendorRequest, options: VendorHttpOptions): Promise<T> {
  return vendorCall(request, options, async (response) => {
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ProviderError(request.provider, `${request.action}: the answer is not JSON`, { cause: error });
    }
  });
}

/** Calls a vendor and returns its answer's bytes and content type. */
export function vendorBytes(request: VendorRequest, options: VendorHttpOptions): Promise<{ bytes: Buffer; contentType: string }> {
  return vendorCall(request, options, async (response) => ({
    bytes: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type') ?? '',
  }));
}

/**
 * Streams a vendor's answer into `path` (a media download), refusing more than `maxBytes`.
 * A failed attempt leaves no partial file behind.
 */
export function vendorDownload(request: VendorRequest, options: VendorHttpOptions, path: string, maxBytes: number): Promise<{ bytes: number; contentType: string }> {
  return vendorCall(request, options, async (response) => {
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      // Release the connection now rather than when the unread body is collected.
      await response.body?.cancel().catch(() => undefined);
      throw new ProviderError(request.provider, `${request.action}: the file is ${declared} bytes, over the ${maxBytes}-byte limit`, { retryable: false });
    }
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) done(new ProviderError(request.provider, `${request.action}: the file is over the ${maxBytes}-byte limit`, { retryable: false }));
        else done(null, chunk);
      },
    });
    try {
      if (!response.body) throw new ProviderError(request.provider, `${request.action}: the answer has no body`);
      await pipeline(Readable.fromWeb(response.body as WebReadableStream), limit, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { bytes, contentType: response.headers.get('content-type') ?? '' };
  });
}

/**
 * The vendor's own explanation from an error answer: the usual JSON fields, else the text,
 * redacted before it is shortened (a key cut in half would no longer match).
 */
export async function vendorMessage(response: Response, secrets: readonly (string | undefined)[] = []): Promise<string> {
  return messageOf(await response.text().catch(() => ''), response.statusText, secrets);
}

function messageOf(body: string, statusText: string, secrets: readonly (string | undefined)[]): string {
  const text = redact(body, secrets).trim();
  if (!text) return statusText || 'no message';
  try {
    const found = messageIn(JSON.parse(text));
    if (found) return clip(found);
  } catch {
    /* not JSON: the text itself */
  }
  return clip(text);
}

function messageIn(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(messageIn).filter(Boolean).join('; ') || undefined;
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  for (const field of ['error', 'message', 'detail', 'errors', 'error_description', 'title', 'name']) {
    const found = messageIn(record[field]);
    if (found) return found;
  }
  return undefined;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function networkMessage(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
