import type { FieldIssue } from './types.js';

/**
 * Every failure the client reports: the server's error body (`code`, `message`, `fields`) with the
 * HTTP status, or `NETWORK` (status 0) when the server could not be reached.
 */
export class VideoJobsError extends Error {
  override readonly name = 'VideoJobsError';

  constructor(
    message: string,
    /** The HTTP status, 0 when no response arrived. */
    readonly status: number,
    /** The server's error code (`VALIDATION`, `NOT_FOUND`, `RATE_LIMITED`, …) or `NETWORK`. */
    readonly code: string,
    /** Each field at fault, named as on the wire (e.g. `video_request.script_content`). */
    readonly fields: FieldIssue[] = [],
    /** Whether the same call may succeed later (network errors, 429, 502–504). */
    readonly retryable = false,
    /** From a 429's or 503's `Retry-After`, in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The typed error for a failed response; `body` is its parsed JSON, if it had any. */
export function errorFromResponse({ status, headers }: Response, body: unknown): VideoJobsError {
  const e: { code?: string; message?: string; fields?: FieldIssue[]; retryable?: boolean } = (body as { error?: object } | undefined)?.error ?? {};
  const retryAfter = parseInt(headers.get('retry-after')!);
  // Without the server's word: timeouts, rate limits and gateway errors pass.
  const retryable = e.retryable ?? [408, 429, 502, 503, 504].includes(status);
  return new VideoJobsError(e.message ?? `HTTP ${status}`, status, e.code ?? `HTTP_${status}`, e.fields, retryable, retryAfter >= 0 ? retryAfter : undefined);
}
