import { describe, expect, it } from 'vitest';
import type { JobQueue, QueuedJob } from '../specs/job-queue.js';
import { until, wait } from './wait.js';

export interface JobQueueContractOptions {
  name: string;
  /** A fresh queue running at most `concurrency` attempts at once. */
  create: (options: { concurrency: number }) => JobQueue | Promise<JobQueue>;
  skip?: string;
}

/** The behaviour every `JobQueue` must show. */
export function runJobQueueContract(options: JobQueueContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`JobQueue contract: ${options.name}`, () => {
    /** A queue whose handler records runs and holds each attempt until released or aborted. */
    async function harness(concurrency: number, holdMs = 0) {
      const queue = await options.create({ concurrency });
      const started: string[] = [];
      const finished: string[] = [];
      const aborted: string[] = [];
      let active = 0;
      let peak = 0;
      queue.process(async (job: QueuedJob, signal: AbortSignal) => {
        started.push(job.id);
        active += 1;
        peak = Math.max(peak, active);
        try {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, holdMs);
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              aborted.push(job.id);
              resolve();
            }, { once: true });
          });
        } finally {
          active -= 1;
          finished.push(job.id);
        }
      });
      return { queue, started, finished, aborted, peak: () => peak };
    }

    it('runs what is enqueued, higher priority first', async () => {
      const h = await harness(1, 30);
      await h.queue.enqueue({ id: 'first', priority: 5 });
      await until(() => h.started.length === 1);
      await h.queue.enqueue({ id: 'low', priority: 1 });
      await h.queue.enqueue({ id: 'high', priority: 10 });
      await h.queue.enqueue({ id: 'mid', priority: 5 });
      await until(() => h.finished.length === 4);
      expect(h.started).toEqual(['first', 'high', 'mid', 'low']);
      await h.queue.close();
    });

    it('respects its concurrency', async () => {
      const h = await harness(2, 20);
      for (let i = 0; i < 8; i++) await h.queue.enqueue({ id: `c${i}`, priority: 5 });
      await until(() => h.finished.length === 8);
      expect(h.peak()).toBe(2);
      expect((await h.queue.stats()).concurrency).toBe(2);
      await h.queue.close();
    });

    it('treats a second enqueue of a waiting id as a no-op', async () => {
      const h = await harness(1, 20);
      await h.queue.enqueue({ id: 'busy', priority: 5 });
      await h.queue.enqueue({ id: 'twice', priority: 5 });
      await h.queue.enqueue({ id: 'twice', priority: 5 });
      await until(() => h.finished.length === 2);
      await wait(40);
      expect(h.started).toEqual(['busy', 'twice']);
      await h.queue.close();
    });

    it('postpones a delayed attempt', async () => {
      const h = await harness(1);
      const at = Date.now();
      await h.queue.enqueue({ id: 'later', priority: 5 }, { delayMs: 80 });
      expect((await h.queue.stats()).waiting).toBe(1);
      await until(() => h.finished.length === 1);
      expect(Date.now() - at).toBeGreaterThanOrEqual(70);
      await h.queue.close();
    });

    it('cancels waiting, delayed and running attempts', async () => {
      const h = await harness(1, 5000);
      await h.queue.enqueue({ id: 'running', priority: 5 });
      await h.queue.enqueue({ id: 'waiting', priority: 5 });
      await h.queue.enqueue({ id: 'delayed', priority: 5 }, { delayMs: 50 });
      await until(() => h.started.length === 1);
      expect(await h.queue.cancel('waiting')).toBe('waiting');
      expect(await h.queue.cancel('delayed')).toBe('waiting');
      expect(await h.queue.cancel('running')).toBe('running');
      // cancel() of a running attempt resolves after its handler has settled.
      expect(h.finished).toEqual(['running']);
      expect(h.aborted).toEqual(['running']);
      expect(await h.queue.cancel('nobody')).toBe('absent');
      await wait(100);
      expect(h.started).toEqual(['running']);
      await h.queue.close();
    });

    it('close() waits up to its timeout, then aborts and reports what still ran', async () => {
      const h = await harness(2, 5000);
      await h.queue.enqueue({ id: 'stuck', priority: 5 });
      await h.queue.enqueue({ id: 'quick-enough', priority: 5 });
      await until(() => h.started.length === 2);
      const stopped = await h.queue.close({ timeoutMs: 30 });
      expect(stopped.sort()).toEqual(['quick-enough', 'stuck']);
      expect(h.finished.sort()).toEqual(['quick-enough', 'stuck']);
      await expect(h.queue.enqueue({ id: 'after', priority: 5 })).rejects.toThrow();
    });

    it('close() returns nothing when running attempts finish in time', async () => {
      const h = await harness(1, 20);
      await h.queue.enqueue({ id: 'short', priority: 5 });
      await until(() => h.started.length === 1);
      expect(await h.queue.close({ timeoutMs: 2000 })).toEqual([]);
      expect(h.finished).toEqual(['short']);
    });
  });
}
