import { Worker } from 'node:worker_threads';
import { DEPRIORITIZE_THREAD_SOURCE, ProviderError, toCancelled } from '@scriptsensei/core';

/**
 * Runs `source` in a fresh worker thread and resolves with the
 * `result` it posts, or rejects with a `ProviderError` carrying the `error` it posts.
 *
 * Providers use this for CPU-bound work (WASM synthesis, SVG rasterising, PNG encoding) so the
 * host's event loop never waits on it. A fresh thread per task costs a few milliseconds, keeps
 * no state between tasks, returns all native memory when it ends, and makes cancellation a
 * plain `terminate()`. Sources are inline strings so bundling can never lose a worker file;
 * they use only dynamic `import()`, because an eval'd worker inherits the host's module type
 * (`node --input-type=module` makes it ESM, where `require` does not exist).
 *
 * The worker replies with `parentPort.postMessage({ result })` or `({ error: string })`.
 */
export function runWorkerTask<T>(provider: string, source: string, workerData: unknown, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(toCancelled(signal.reason));
  return new Promise<T>((resolve, reject) => {
    // Render work yields the CPU to the host's event loop (see RENDER_NICENESS).
    const worker = new Worker(DEPRIORITIZE_THREAD_SOURCE + source, { eval: true, workerData });
    let settled = false;
    const finish = (error: Error | undefined, result?: T) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result as T);
    };
    const onAbort = () => finish(toCancelled(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (reply: { result?: T; error?: string }) =>
      reply.error !== undefined
        ? finish(new ProviderError(provider, reply.error.trim().split('\n')[0] || 'worker failed', { retryable: false }))
        : finish(undefined, reply.result),
    );
    worker.on('error', (error) => finish(new ProviderError(provider, `worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => finish(new ProviderError(provider, `worker exited early with code ${code}`)));
  });
}
