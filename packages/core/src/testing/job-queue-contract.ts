import { describe, expect, it } from 'vitest';
import type { JobQueue, QueueEntry } from '../specs/job-queue.js';
import { until, wait } from './wait.js';

export interface JobQueueContractOptions {
  name: string;
  /** A fresh, empty queue. */
  create: () => JobQueue | Promise<JobQueue>;
  /**
   * For distributed queues: another queue instance over the same backend as `queue` (as in
   * another process). When given, the suite checks that one instance's entries run on the other's worker.
   */
  peer?: (queue: JobQueue) => JobQueue | Promise<JobQueue>;
  skip?: string;
}

/** The behaviour every `JobQueue` must show. */
export function runJobQueueContract(options: JobQueueContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`JobQueue contract: ${options.name}`, () => {
    const entry = (name: string, priority = 5): QueueEntry => ({ jobId: `job-${name}`, attemptId: `attempt-${name}`, priority });

    /** Runs a worker on `queue` whose handler records runs and holds each attempt until released or aborted. */
    function harness(queue: JobQueue, concurrency: number, holdMs = 0) {
      const started: string[] = [];
      const finished: string[] = [];
      const aborted: string[] = [];
      let active = 0;
      let peak = 0;
      const worker = queue.work(
        async (job: QueueEntry, signal: AbortSignal) => {
          started.push(job.attemptId.replace(/^attempt-/, ''));
          active += 1;
          peak = Math.max(peak, active);
          try {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, holdMs);
              signal.addEventListener('abort', () => {
                clearTimeout(timer);
                aborted.push(job.attemptId.replace(/^attempt-/, ''));
                resolve();
              }, { once: true });
            });
          } finally {
            active -= 1;
            finished.push(job.attemptId.replace(/^attempt-/, ''));
          }
        },
        { concurrency },
      );
      return { queue, worker, started, finished, aborted, peak: () => peak };
    }

    async function closeAll(h: ReturnType<typeof harness>, ...more: JobQueue[]) {
      await h.worker.close({ timeoutMs: 1000 });
      await h.queue.close();
      for (const queue of more) await queue.close();
    }

    it('runs what is enqueued, higher priority first, first come first served within a priority', async () => {
      const queue = await options.create();
      await queue.enqueue(entry('first'));
      const h = harness(queue, 1, 40);
      await until(() => h.started.length === 1);
      await queue.enqueue(entry('low', 1));
      await queue.enqueue(entry('high-a', 10));
      await queue.enqueue(entry('mid', 5));
      await queue.enqueue(entry('high-b', 10));
      await until(() => h.finished.length === 5);
      expect(h.started).toEqual(['first', 'high-a', 'high-b', 'mid', 'low']);
      await closeAll(h);
    });

    it('respects its concurrency and reports itself among the workers', async () => {
      const queue = await options.create();
      const h = harness(queue, 2, 30);
      for (let i = 0; i < 8; i++) await queue.enqueue(entry(`c${i}`));
      await until(() => h.started.length >= 2);
      const workers = await queue.workers();
      expect(workers.map((w) => w.id)).toContain(h.worker.id);
      expect(workers.find((w) => w.id === h.worker.id)).toMatchObject({ concurrency: 2, pid: process.pid });
      await until(() => h.finished.length === 8);
      expect(h.peak()).toBe(2);
      await closeAll(h);
    });

    it('treats a second enqueue of a queued attempt as a no-op, and runs a new attempt of a running job', async () => {
      const queue = await options.create();
      const h = harness(queue, 1, 40);
      await queue.enqueue(entry('busy'));
      await until(() => h.started.length === 1);
      await queue.enqueue(entry('twice'));
      await queue.enqueue(entry('twice'));
      // The running job schedules its next attempt under a new attempt id.
      await queue.enqueue({ jobId: 'job-busy', attemptId: 'attempt-busy-2', priority: 5 });
      await until(() => h.finished.length === 3);
      await wait(60);
      expect(h.started).toEqual(['busy', 'twice', 'busy-2']);
      await closeAll(h);
    });

    it('postpones a delayed attempt and counts it as waiting', async () => {
      const queue = await options.create();
      const h = harness(queue, 1);
      const at = Date.now();
      await queue.enqueue(entry('later'), { delayMs: 150 });
      expect((await queue.stats()).waiting).toBe(1);
      await until(() => h.finished.length === 1);
      expect(Date.now() - at).toBeGreaterThanOrEqual(140);
      await closeAll(h);
    });

    it('removes waiting and delayed attempts, not running ones', async () => {
      const queue = await options.create();
      const h = harness(queue, 1, 5000);
      await queue.enqueue(entry('running'));
      await until(() => h.started.length === 1);
      await queue.enqueue(entry('waiting'));
      await queue.enqueue(entry('delayed'), { delayMs: 100 });
      expect(await queue.remove('attempt-waiting')).toBe(true);
      expect(await queue.remove('attempt-delayed')).toBe(true);
      expect(await queue.remove('attempt-running')).toBe(false);
      expect(await queue.remove('attempt-nobody')).toBe(false);
      expect(await queue.stats()).toEqual({ waiting: 0, running: 1 });
      await wait(200);
      expect(h.started).toEqual(['running']);
      expect(h.worker.running()).toEqual(['attempt-running']);
      expect(h.worker.abort('attempt-nobody', new Error('no'))).toBe(false);
      // close() waits up to its timeout, then aborts what still runs and reports it.
      expect(await h.worker.close({ timeoutMs: 30 })).toEqual(['attempt-running']);
      expect(h.aborted).toEqual(['running']);
      expect(h.finished).toEqual(['running']);
      await queue.close();
    });

    it('aborts a running attempt\'s signal on request', async () => {
      const queue = await options.create();
      const h = harness(queue, 1, 5000);
      await queue.enqueue(entry('stoppable'));
      await until(() => h.started.length === 1);
      expect(h.worker.abort('attempt-stoppable', new Error('stop'))).toBe(true);
      await until(() => h.finished.length === 1);
      expect(h.aborted).toEqual(['stoppable']);
      expect(h.worker.running()).toEqual([]);
      await closeAll(h);
    });

    it('close() returns nothing when running attempts finish in time', async () => {
      const queue = await options.create();
      const h = harness(queue, 1, 30);
      await queue.enqueue(entry('short'));
      await until(() => h.started.length === 1);
      expect(await h.worker.close({ timeoutMs: 5000 })).toEqual([]);
      expect(h.finished).toEqual(['short']);
      await queue.close();
    });

    it.runIf(Boolean(options.peer))('runs entries enqueued by another instance on this one\'s worker', async () => {
      const queue = await options.create();
      const producer = await options.peer!(queue);
      const h = harness(queue, 2, 5);
      for (let i = 0; i < 6; i++) await producer.enqueue(entry(`remote-${i}`));
      await until(() => h.finished.length === 6);
      expect(h.started.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `remote-${i}`).sort());
      expect((await producer.workers()).map((w) => w.id)).toContain(h.worker.id);
      await closeAll(h, producer);
    });
  });
}
