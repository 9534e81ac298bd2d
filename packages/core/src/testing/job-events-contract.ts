import { describe, expect, it } from 'vitest';
import type { JobEvent, JobEvents } from '../specs/job-events.js';
import { sampleJob } from './job-store-contract.js';
import { until } from './wait.js';

export interface JobEventsContractOptions {
  name: string;
  /** A fresh bus. */
  create: () => JobEvents | Promise<JobEvents>;
  /**
   * For distributed buses: another instance over the same channel (as in another process). When
   * given, the suite checks that events cross between instances.
   */
  peer?: (bus: JobEvents) => JobEvents | Promise<JobEvents>;
  skip?: string;
}

/** The behaviour every `JobEvents` must show. */
export function runJobEventsContract(options: JobEventsContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`JobEvents contract: ${options.name}`, () => {
    it('delivers every event to every subscriber, in publish order, until it unsubscribes', async () => {
      const bus = await options.create();
      const a: JobEvent[] = [];
      const b: JobEvent[] = [];
      const stopA = bus.subscribe((e) => a.push(e));
      bus.subscribe((e) => b.push(e));
      await bus.ready?.();
      const job = sampleJob();
      const types = ['submitted', 'progress', 'progress', 'succeeded'] as const;
      for (const [i, type] of types.entries()) await bus.publish({ type, job: { ...job, progress: i / 3 } });
      await until(() => a.length === 4 && b.length === 4);
      expect(a.map((e) => e.type)).toEqual([...types]);
      expect(a[3]!.job).toEqual({ ...job, progress: 1 });
      stopA();
      await bus.publish({ type: 'cancelled', job });
      await until(() => b.length === 5);
      expect(a).toHaveLength(4);
      await bus.close();
    });

    it('delivers only the types a subscriber asks for', async () => {
      const bus = await options.create();
      const cancels: JobEvent[] = [];
      const all: JobEvent[] = [];
      bus.subscribe((e) => cancels.push(e), { types: ['cancelled'] });
      bus.subscribe((e) => all.push(e));
      await bus.ready?.();
      const job = sampleJob();
      for (const type of ['submitted', 'progress', 'cancelled', 'succeeded'] as const) await bus.publish({ type, job });
      await until(() => all.length === 4);
      expect(cancels.map((e) => e.type)).toEqual(['cancelled']);
      await bus.close();
    });

    it.runIf(Boolean(options.peer))('carries events between instances', async () => {
      const bus = await options.create();
      const other = await options.peer!(bus);
      const seen: JobEvent[] = [];
      bus.subscribe((e) => seen.push(e));
      await bus.ready?.();
      const job = sampleJob();
      await other.publish({ type: 'cancelled', job });
      await until(() => seen.length === 1);
      expect(seen[0]).toEqual({ type: 'cancelled', job });
      await Promise.all([bus.close(), other.close()]);
    });
  });
}
