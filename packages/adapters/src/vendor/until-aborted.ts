import { toCancelled } from '@scriptsensei/core';

/**
 * `promise`, or a `CancelledError` as soon as `signal` fires. For shared work a request waits on
 * (a cached voice list, a token): one caller's cancel must not abort it for the others, but the
 * caller stops waiting at once.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(toCancelled(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(toCancelled(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
