/** How failed attempts are retried. */
export interface RetryPolicy {
  /**
   * Attempts in all, the first included. Non-retryable errors (validation, provider 4xx,
   * cancellation) fail at once whatever this says.
   * @defaultValue 3
   */
  maxAttempts: number;
  /**
   * Delay before the first retry; doubles (see `factor`) for each later one.
   * @defaultValue 2000
   */
  baseDelayMs: number;
  /** @defaultValue 2 */
  factor: number;
  /**
   * Longest delay between attempts.
   * @defaultValue 60000
   */
  maxDelayMs: number;
  /**
   * Full jitter: each delay is drawn uniformly from [delay/2, delay], so failed jobs that
   * share a cause do not all retry at the same instant.
   * @defaultValue true
   */
  jitter: boolean;
}

export const RETRY_DEFAULTS: RetryPolicy = { maxAttempts: 3, baseDelayMs: 2000, factor: 2, maxDelayMs: 60_000, jitter: true };

/** Delay before attempt `attempt + 1`, after `attempt` attempts have failed (1-based). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(policy.jitter ? exponential * (0.5 + random() / 2) : exponential);
}
