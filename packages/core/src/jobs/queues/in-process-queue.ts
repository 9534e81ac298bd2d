import { hostname } from 'node:os';
import PQueue from 'p-queue';
import { ConfigurationError, ConflictError } from '../../errors.js';
import type { AttemptHandler, JobQueue, QueueEntry, QueueWorker, WorkerInfo } from '../../specs/job-queue.js';

/**
 * The embedded queue: attempts run in this process on p-queue, higher priority first, first
 * come first served within a priority. Delayed attempts (retry backoff) wait on timers. Entries
 * live in memory (`durable: false`): the engine enqueues unfinished jobs again at start-up.
 */
export function createInProcessQueue(): JobQueue {
  let queue: PQueue | undefined;
  /**
   * Waiting attempts and the token of the queued task that will run each. Removing deletes the
   * entry and the task, reaching the front, finds it gone and returns: cheaper than an
   * AbortSignal per queued task, which p-queue would have to listen to.
   */
  const waiting = new Map<string, object>();
  /** Entries enqueued before `work()` was called; they start when it is. */
  const early: QueueEntry[] = [];
  const delayed = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let handler: AttemptHandler | undefined;
  let worker: (QueueWorker & { info(): WorkerInfo }) | undefined;
  let closed = false;

  function add(entry: QueueEntry): void {
    if (!queue) {
      early.push(entry);
      return;
    }
    const token = {};
    waiting.set(entry.attemptId, token);
    void queue.add(
      async () => {
        if (waiting.get(entry.attemptId) !== token) return;
        waiting.delete(entry.attemptId);
        const controller = new AbortController();
        const done = Promise.resolve()
          .then(() => handler!(entry, controller.signal))
          // The handler records its own failures on the job; a throw here is a bug we must not let kill the queue.
          .catch((error: unknown) => queueMicrotask(() => console.error('scriptsensei: attempt handler threw', error)));
        running.set(entry.attemptId, { controller, done });
        await done;
        running.delete(entry.attemptId);
      },
      { priority: entry.priority },
    );
  }

  return {
    specificationVersion: 'v2',
    name: 'in-process',
    durable: false,
    async enqueue(entry, { delayMs = 0 } = {}) {
      if (closed) throw new ConflictError('The queue is closed');
      const id = entry.attemptId;
      if (waiting.has(id) || delayed.has(id) || running.has(id) || early.some((e) => e.attemptId === id)) return;
      if (delayMs <= 0) return add(entry);
      delayed.set(
        id,
        setTimeout(() => {
          delayed.delete(id);
          add(entry);
        }, delayMs),
      );
    },
    async remove(attemptId) {
      const timer = delayed.get(attemptId);
      if (timer) {
        clearTimeout(timer);
        delayed.delete(attemptId);
        return true;
      }
      const at = early.findIndex((e) => e.attemptId === attemptId);
      if (at >= 0) {
        early.splice(at, 1);
        return true;
      }
      return waiting.delete(attemptId);
    },
    work(next, { concurrency }) {
      if (handler) throw new ConflictError('The queue already has a worker');
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigurationError(`concurrency must be a positive integer, got ${concurrency}`);
      handler = next;
      queue = new PQueue({ concurrency });
      for (const entry of early.splice(0)) add(entry);
      const id = `${hostname()}:${process.pid}`;
      const startedQueue = queue;
      worker = {
        id,
        concurrency,
        running: () => [...running.keys()],
        abort(attemptId, reason) {
          const active = running.get(attemptId);
          active?.controller.abort(reason);
          return Boolean(active);
        },
        info: () => ({ id, hostname: hostname(), pid: process.pid, concurrency, running: running.size, seenAt: new Date().toISOString() }),
        async close({ timeoutMs = 30_000 } = {}) {
          closed = true;
          for (const timer of delayed.values()) clearTimeout(timer);
          delayed.clear();
          waiting.clear();
          startedQueue.clear();
          const settled = Promise.all([...running.values()].map((r) => r.done));
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([
            settled.then(() => false),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
          ]);
          clearTimeout(timer);
          if (!timedOut) return [];
          const aborted = [...running.keys()];
          for (const active of running.values()) active.controller.abort(new ConflictError('The worker is shutting down'));
          await settled;
          return aborted;
        },
      };
      return worker;
    },
    async stats() {
      return { waiting: waiting.size + delayed.size + early.length, running: running.size };
    },
    async workers() {
      return worker && !closed ? [worker.info()] : [];
    },
    async close() {
      closed = true;
      for (const timer of delayed.values()) clearTimeout(timer);
      delayed.clear();
      waiting.clear();
      early.length = 0;
      queue?.clear();
    },
  };
}
