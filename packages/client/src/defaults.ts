/** The client's options with defaults (`createVideoJobsClient` takes them). */
export interface ClientSettings {
  /**
   * How often a job is polled when its SSE stream is unavailable (as the original front end).
   * @defaultValue 3000
   */
  pollIntervalMs: number;
  /**
   * Most SSE streams open at once; further jobs are polled. Browsers allow about six HTTP/1.1
   * connections per origin, and the page's other requests need some of them.
   * @defaultValue 4
   */
  maxStreams: number;
}

export const CLIENT_DEFAULTS: Readonly<ClientSettings> = { pollIntervalMs: 3000, maxStreams: 4 };

/** Failed SSE connections in a row (without an event) before a job is polled instead. */
export const STREAM_FAILURES_BEFORE_POLLING = 3;
/** Longest wait between reconnects or failed polls (exponential backoff with full jitter). */
export const MAX_BACKOFF_MS = 30_000;
/** Jobs kept for `peek` beyond the ones being watched. */
export const CACHE_SIZE = 500;
