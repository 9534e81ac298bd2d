import pMap from 'p-map';
import { toCancelled } from './errors.js';

/**
 * Runs `work` over `items` with bounded concurrency. On the first failure it aborts the others
 * (so their child processes die) and waits for every started task to settle before rejecting
 * with that first error, so no task still writes into a directory the caller is about to delete.
 */
export async function mapWithAbort<T, R>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  work: (item: T, index: number, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  let firstError: unknown;
  try {
    return await pMap(
      items,
      async (item, index) => {
        try {
          if (controller.signal.aborted) throw toCancelled(controller.signal.reason);
          return await work(item, index, controller.signal);
        } catch (error) {
          if (firstError === undefined) {
            firstError = error;
            controller.abort(error);
          }
          throw error;
        }
      },
      { concurrency, stopOnError: false },
    );
  } catch (error) {
    throw firstError ?? error;
  } finally {
    signal.removeEventListener('abort', forward);
  }
}
