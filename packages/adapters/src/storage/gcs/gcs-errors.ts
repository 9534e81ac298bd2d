import { CancelledError, ProviderError, ScriptSenseiError } from '@scriptsensei/core';
import { isRetryableStatus, redact } from '../../vendor/index.js';

/**
 * What the client's errors carry: `ApiError` has the HTTP status in `code` and the API's
 * reasons in `errors`; gaxios errors have `status`; network errors a string `code`.
 */
interface GcsClientError {
  name?: string;
  message?: string;
  code?: number | string;
  status?: number;
  response?: { status?: number };
  errors?: { reason?: string }[];
}

/** Reasons GCS gives with a 403 that only mean "slow down". */
const RATE_LIMITED = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/** The HTTP status of a client error, if the server answered. */
export function statusOf(error: unknown): number | undefined {
  const e = error as GcsClientError | undefined;
  if (typeof e?.code === 'number') return e.code;
  return e?.status ?? e?.response?.status;
}

/**
 * One of our typed errors for anything the client (or the body stream) threw while doing `what`.
 * 408, 429, 5xx, rate limits and network failures are retryable; other answers and signing
 * failures are not.
 * Secrets are scrubbed from the message.
 */
export function toGcsError(error: unknown, what: string, secrets: readonly string[], signal?: AbortSignal): ScriptSenseiError {
  if (signal?.aborted) return CancelledError.is(signal.reason) ? signal.reason : new CancelledError(`gcs: ${what} was cancelled`, { cause: signal.reason });
  if (ScriptSenseiError.is(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as GcsClientError;
  const status = statusOf(error);
  const reason = e.errors?.[0]?.reason ?? (typeof e.code === 'string' ? e.code : e.name === 'SigningError' ? e.name : undefined);
  const retryable = status === undefined ? e.name !== 'SigningError' : isRetryableStatus(status) || RATE_LIMITED.has(reason ?? '');
  const detail = [reason, status && `HTTP ${status}`].filter(Boolean).join(', ');
  const message = redact(`${what} failed${detail ? ` (${detail})` : ''}: ${e.message || 'no message'}`, secrets);
  return new ProviderError('gcs', message, { cause: error, retryable, status });
}
