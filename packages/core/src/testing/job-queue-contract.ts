import { describe, expect, it } from 'vitest';
import type { JobQueue, QueueEntry } from '../specs/job-queue.js';
import { latch, until, type Latch } from './wait.js';

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

    /**
     * Runs a worker on `queue` whose handler records each attempt (by name) as it starts and
     * finishes. With `hold`, every attempt waits, once started, until the test releases it
     * (`release(name)`, or `open()` for all, now and later) or its signal aborts; without it,
     * attempts finish at once. Holding keeps the worker's slots busy for exactly as long as a test
     * needs, so what it enqueues meanwhile queues up behind them.
     */
    function harness(queue: JobQueue, concurrency: number, { hold = false } = {}) {
      const started: string[] = [];
      const finished: string[] = [];
      const aborted: string[] = [];
      const gates = new Map<string, Latch>();
      const gate = (name: string) => gates.get(name) ?? gates.set(name, latch()).get(name)!;
      let opened = !hold;
      let active = 0;
      let peak = 0;
      const worker = queue.work(
        async (job: QueueEntry, signal: AbortSignal) => {
          const name = job.attemptId.replace(/^attempt-/, '');
          started.push(name);
          active += 1;
          peak = Math.max(peak, active);
          try {
            if (opened) return;
            await new Promise<void>((resolve) => {
              if (signal.aborted) {
                aborted.push(name);
                return resolve();
              }
              signal.addEventListener('abort', () => {
                aborted.push(name);
                resolve();
              }, { once: true });
              void gate(name).promise.then(resolve);
            });
          } finally {
            active -= 1;
            finished.push(name);
          }
        },
        { concurrency },
      );
      return {
        queue,
        worker,
        started,
        finished,
        aborted,
        peak: () => peak,
        /** Lets the attempt `name` finish (now, or as soon as it starts). */
        release: (name: string) => gate(name).release(),
        /** Lets every attempt finish, those held now and those to come. */
        open: () => {
          opened = true;
          for (const g of gates.values()) g.release();
          for (const name of started) gate(name).release();
        },
      };
    }

    async function closeAll(h: ReturnType<typeof harness>, ...more: JobQueue[]) {
      h.open();
      await h.worker.close({ timeoutMs: 1000 });
      await h.queue.close();
      for (const queue of more) await queue.close();
    }

    it('runs what is enqueued, higher priority first, first come first served within a priority', async () => {
      const queue = await options.create();
      await queue.enqueue(entry('first'));
      // 'first' holds the only slot until everything else is queued behind it.
      const h = harness(queue, 1, { hold: true });
      await until(() => h.started.length === 1);
      await queue.enqueue(entry('low', 1));
      await queue.enqueue(entry('high-a', 10));
      await queue.enqueue(entry('mid', 5));
      await queue.enqueue(entry('high-b', 10));
      expect(h.started).toEqual(['first']);
      h.open();
      await until(() => h.finished.length === 5);
      expect(h.started).toEqual(['first', 'high-a', 'high-b', 'mid', 'low']);
      await closeAll(h);
    });

    it('respects its concurrency and reports itself among the workers', async () => {
      const queue = await options.create();
      // Attempts hold until released, so both slots are certainly full at once.
      const h = harness(queue, 2, { hold: true });
      for (let i = 0; i < 8; i++) await queue.enqueue(entry(`c${i}`));
      await until(() => h.started.length === 2);
      const workers = await queue.workers();
      expect(workers.map((w) => w.id)).toContain(h.worker.id);
      expect(workers.find((w) => w.id === h.worker.id)).toMatchObject({ concurrency: 2, pid: process.pid });
      expect(h.worker.running().sort()).toEqual(h.started.map((name) => `attempt-${name}`).sort());
      // One at a time: each release frees one slot, which the next attempt takes.
      for (let i = 0; i < 8; i++) {
        h.release(h.started[i]!);
        await until(() => h.finished.length === i + 1 && h.started.length === Math.min(8, i + 3));
      }
      expect(h.peak()).toBe(2);
      await closeAll(h);
    });

    it('treats a second enqueue of a queued attempt as a no-op, and runs a new attempt of a running job', async () => {
      const queue = await options.create();
      const h = harness(queue, 1, { hold: true });
      await queue.enqueue(entry('busy'));
      await until(() => h.started.length === 1);
      await queue.enqueue(entry('twice'));
      await queue.enqueue(entry('twice'));
      // The running job schedules its next attempt under a new attempt id.
      await queue.enqueue({ jobId: 'job-busy', attemptId: 'attempt-busy-2', priority: 5 });
      // Last in line on the only slot: once it has run, a second 'twice' would have run before it.
      await queue.enqueue(entry('last', 1));
      h.open();
      await until(() => h.finished.includes('last'));
      expect(h.started).toEqual(['busy', 'twice', 'busy-2', 'last']);
      await closeAll(h);
    });

    it('postpones a delayed attempt and counts it as waiting', async () => {
      const queue = await options.create();
      const h = harness(queue, 1);
      const at = Date.now();
      // Long enough that a busy machine cannot start it before the stats are read.
      await queue.enqueue(entry('later'), { delayMs: 1000 });
      expect((await queue.stats()).waiting).toBe(1);
      await until(() => h.finished.length === 1);
      expect(Date.now() - at).toBeGreaterThanOrEqual(990);
      await closeAll(h);
    });

    it('removes waiting and delayed attempts, not running ones', async () => {
      const queue = await options.create();
      const h = harness(queue, 1, { hold: true });
      await queue.enqueue(entry('running'));
      await until(() => h.started.length === 1);
      await queue.enqueue(entry('waiting'));
      await queue.enqueue(entry('delayed'), { delayMs: 100 });
      expect(await queue.remove('attempt-waiting')).toBe(true);
      expect(await queue.remove('attempt-delayed')).toBe(true);
      expect(await queue.remove('attempt-running')).toBe(false);
      expect(await queue.remove('attempt-nobody')).toBe(false);
      expect(await queue.stats()).toEqual({ waiting: 0, running: 1 });
      expect(h.worker.running()).toEqual(['attempt-running']);
      expect(h.worker.abort('attempt-nobody', new Error('no'))).toBe(false);
      // Due after the removed ones would have been, at a lower priority: once the slot is free and
      // this one has started, they would have started before it.
      await queue.enqueue(entry('sentinel', 1), { delayMs: 150 });
      h.release('running');
      await until(() => h.started.includes('sentinel'));
      expect(h.started).toEqual(['running', 'sentinel']);
      expect(h.worker.running()).toEqual(['attempt-sentinel']);
      // close() waits up to its timeout, then aborts what still runs and reports it.
      expect(await h.worker.close({ timeoutMs: 30 })).toEqual(['attempt-sentinel']);
      expect(h.aborted).toEqual(['sentinel']);
      expect(h.finished).toEqual(['running', 'sentinel']);
      await queue.close();
    });

    it('aborts a running attempt\'s signal on request', async () => {
      const queue = await options.create();
      const h = harness(queue, 1, { hold: true });
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
      const h = harness(queue, 1, { hold: true });
      await queue.enqueue(entry('short'));
      await until(() => h.started.length === 1);
      const closing = h.worker.close({ timeoutMs: 5000 });
      expect(h.finished).toEqual([]);
      h.release('short');
      expect(await closing).toEqual([]);
      expect(h.finished).toEqual(['short']);
      expect(h.aborted).toEqual([]);
      await queue.close();
    });

    it.runIf(Boolean(options.peer))('runs entries enqueued by another instance on this one\'s worker', async () => {
      const queue = await options.create();
      const producer = await options.peer!(queue);
      const h = harness(queue, 2);
      for (let i = 0; i < 6; i++) await producer.enqueue(entry(`remote-${i}`));
      await until(() => h.finished.length === 6);
      expect(h.started.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `remote-${i}`).sort());
      expect((await producer.workers()).map((w) => w.id)).toContain(h.worker.id);
      await closeAll(h, producer);
    });
  });
}
