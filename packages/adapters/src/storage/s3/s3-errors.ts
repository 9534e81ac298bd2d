import { CancelledError, ProviderError, ScriptSenseiError } from '@scriptsensei/core';
import { isRetryableStatus, redact } from '../../vendor/index.js';

/** What the SDK's errors carry: service errors have a status, network errors a Node `code`. */
interface SdkError {
  name?: string;
  /** S3's error code, when the answer had a body. */
  Code?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

/** S3 error codes worth another try even though their status is a 4xx. */
const RETRYABLE_CODES = new Set(['RequestTimeout', 'RequestTimeoutException', 'SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** The HTTP status of an SDK service error, if the server answered. */
export function statusOf(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

/**
 * One of our typed errors for anything the SDK (or the body stream) threw while doing `what`.
 * Throttling, timeouts, 5xx and network failures are retryable; other answers (403 and other
 * 4xx) are not. Secrets are scrubbed from the message.
 */
export function toS3Error(error: unknown, what: string, secrets: readonly string[], signal?: AbortSignal): ScriptSenseiError {
  if (signal?.aborted) return CancelledError.is(signal.reason) ? signal.reason : new CancelledError(`s3: ${what} was cancelled`, { cause: signal.reason });
  if (ScriptSenseiError.is(error)) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkError;
  const status = statusOf(error);
  // Answers to HEAD requests carry no body: the SDK then names them `Unknown`/`UnknownError`.
  const code = [sdk.Code, sdk.name, sdk.code].find((name) => name && name !== 'Error' && name !== 'Unknown');
  const said = sdk.message && sdk.message !== 'UnknownError' ? sdk.message : status === 401 || status === 403 ? 'access denied: check the credentials and their permissions on the bucket' : undefined;
  const retryable = status === undefined || isRetryableStatus(status) || Boolean(sdk.$retryable) || RETRYABLE_CODES.has(code ?? '');
  const detail = [code, status && `HTTP ${status}`].filter(Boolean).join(', ');
  const message = redact(`${what} failed${detail ? ` (${detail})` : ''}${said ? `: ${said}` : ''}`, secrets);
  return new ProviderError('s3', message, { cause: error, retryable, status });
}
