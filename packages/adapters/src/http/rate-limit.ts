import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { HttpError } from './http-errors.js';

export interface RateLimitOptions {
  /**
   * Jobs a user may create per window.
   * @defaultValue 60
   */
  points?: number;
  /**
   * Window length in seconds.
   * @defaultValue 60
   */
  durationSeconds?: number;
  /**
   * A ready limiter, e.g. `new RateLimiterRedis({ storeClient, points, duration })` so several
   * servers share one budget per user. Overrides `points` and `durationSeconds`.
   */
  limiter?: RateLimiterAbstract;
}

/** Charges `cost` job creations to `user`; throws a 429 `HttpError` with `Retry-After` when over. */
export function createRateLimiter(options: RateLimitOptions): (user: string, cost?: number) => Promise<void> {
  const limiter = options.limiter ?? new RateLimiterMemory({ points: options.points ?? 60, duration: options.durationSeconds ?? 60 });
  return async (user, cost = 1) => {
    try {
      await limiter.consume(user, cost);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new HttpError(429, 'RATE_LIMITED', `Too many jobs created; retry in ${seconds} s`, [], { 'Retry-After': String(seconds) });
    }
  };
}
