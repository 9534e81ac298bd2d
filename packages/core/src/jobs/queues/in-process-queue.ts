import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import { ConfigurationError, ConflictError } from '../../errors.js';
import type { JobHandler, JobQueue, QueuedJob } from '../../specs/job-queue.js';

export interface InProcessQueueOptions {
  /**
   * Attempts run at once.
   * @defaultValue the number of CPUs
   */
  concurrency?: number;
}

/**
 * The embedded queue: attempts run in this process on p-queue, higher priority first, first
 * come first served within a priority. Delayed attempts (retry backoff) wait on timers.
 */
export function createInProcessQueue(options: InProcessQueueOptions = {}): JobQueue {
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigurationError(`concurrency must be a positive integer, got ${concurrency}`);
  const queue = new PQueue({ concurrency });
  /**
   * Waiting attempts and the token of the queued task that will run each. Cancelling deletes
   * the entry and the task, reaching the front, finds it gone and returns: cheaper than an
   * AbortSignal per queued task, which p-queue would have to listen to.
   */
  const waiting = new Map<string, object>();
  const delayed = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let handler: JobHandler | undefined;
  let closed = false;

  function add(job: QueuedJob): void {
    const token = {};
    waiting.set(job.id, token);
    void queue.add(
      async () => {
        if (waiting.get(job.id) !== token) return;
        waiting.delete(job.id);
        const controller = new AbortController();
        const done = Promise.resolve()
          .then(() => handler!(job, controller.signal))
          // The handler records its own failures on the job; a throw here is a bug we must not let kill the queue.
          .catch((error: unknown) => queueMicrotask(() => console.error('scriptsensei: job handler threw', error)));
        running.set(job.id, { controller, done });
        await done;
        // A retry of this job may already be running under the same id.
        if (running.get(job.id)?.done === done) running.delete(job.id);
      },
      { priority: job.priority },
    );
  }

  return {
    specificationVersion: 'v1',
    name: 'in-process',
    process(next) {
      if (handler) throw new ConflictError('The queue already has a handler');
      handler = next;
    },
    async enqueue(job, { delayMs = 0 } = {}) {
      if (closed) throw new ConflictError('The queue is closed');
      if (!handler) throw new ConflictError('Register a handler with process() before enqueuing');
      // A running attempt may schedule its own retry, so only waiting attempts are duplicates.
      if (waiting.has(job.id) || delayed.has(job.id)) return;
      if (delayMs <= 0) return add(job);
      delayed.set(
        job.id,
        setTimeout(() => {
          delayed.delete(job.id);
          add(job);
        }, delayMs),
      );
    },
    async cancel(id, reason) {
      const timer = delayed.get(id);
      if (timer) {
        clearTimeout(timer);
        delayed.delete(id);
        return 'waiting';
      }
      if (waiting.delete(id)) return 'waiting';
      const active = running.get(id);
      if (active) {
        active.controller.abort(reason);
        await active.done;
        return 'running';
      }
      return 'absent';
    },
    async stats() {
      return { waiting: waiting.size + delayed.size, running: running.size, concurrency };
    },
    async close({ timeoutMs = 30_000 } = {}) {
      closed = true;
      for (const timer of delayed.values()) clearTimeout(timer);
      delayed.clear();
      waiting.clear();
      queue.clear();
      const settled = Promise.all([...running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        settled.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!timedOut) return [];
      const aborted = [...running.keys()];
      for (const active of running.values()) active.controller.abort(new ConflictError('The queue is shutting down'));
      await settled;
      return aborted;
    },
  };
}
