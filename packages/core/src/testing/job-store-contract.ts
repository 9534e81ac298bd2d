import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../errors.js';
import type { JobRecord, JobStatus } from '../jobs/job-record.js';
import type { JobStore } from '../specs/job-store.js';

export interface JobStoreContractOptions {
  name: string;
  /** A fresh, empty store (not yet opened). */
  create: () => JobStore | Promise<JobStore>;
  /**
   * For durable stores: a new store instance over the same data, as after a restart. When
   * given, the suite checks that records, indexes and counts survive close and reopen.
   */
  reopen?: () => JobStore | Promise<JobStore>;
  /**
   * For stores shared by several processes: another instance over the same data (as in another
   * process). When given, the suite checks that updates and idempotent creates stay atomic across instances.
   */
  peer?: () => JobStore | Promise<JobStore>;
  skip?: string;
}

let sequence = 0;
/** A job record with sensible defaults, created `ageMs` ago. */
export function sampleJob(overrides: Partial<JobRecord> = {}, ageMs = 0): JobRecord {
  const at = new Date(Date.now() - ageMs).toISOString();
  return {
    id: `job-${process.pid}-${(sequence += 1)}`,
    userId: 'user-a',
    status: 'pending',
    progress: 0,
    stage: 'queued',
    message: 'Job queued',
    attempts: 0,
    maxAttempts: 3,
    priority: 5,
    request: { script: 'Hello.' },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** The behaviour every `JobStore` must show. */
export function runJobStoreContract(options: JobStoreContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`JobStore contract: ${options.name}`, () => {
    let store: JobStore;
    beforeAll(async () => {
      store = await options.create();
      await store.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('creates and reads back a record; a second create of the id conflicts', async () => {
      const job = sampleJob({
        webhookUrl: 'https://example.test/hook',
        warnings: ['w'],
        metadata: {},
        request: { script: 'Quotes " and \\ and 日本語 🎬', title: 'T', targetDurationSeconds: 12.5 },
        progress: 0.123456789,
      });
      expect(await store.create(job)).toEqual(job);
      expect(await store.get(job.id)).toEqual(job);
      await expect(store.create(job)).rejects.toSatisfy(ConflictError.is);
      expect(await store.get('missing')).toBeUndefined();
    });

    it('updates by compare-and-set on status, removing fields set to undefined', async () => {
      const job = sampleJob({ message: 'x', etaSeconds: 9 });
      await store.create(job);
      const updated = await store.update(job.id, { status: 'processing', etaSeconds: undefined }, { when: { status: ['pending'] } });
      expect(updated).toMatchObject({ status: 'processing', message: 'x' });
      expect(updated).not.toHaveProperty('etaSeconds');
      expect(updated!.updatedAt >= job.updatedAt).toBe(true);
      expect(await store.get(job.id)).toEqual(updated);
      expect(await store.update(job.id, { status: 'success' }, { when: { status: ['pending'] } })).toBeUndefined();
      expect((await store.get(job.id))!.status).toBe('processing');
      expect(await store.update('missing', { status: 'success' })).toBeUndefined();
    });

    it('applies conditions on attempt, run and absent fields, and increments attempts', async () => {
      const job = sampleJob({ attemptId: 'a1' });
      await store.create(job);
      expect(await store.update(job.id, { runId: 'r1' }, { when: { attemptId: 'a0' } })).toBeUndefined();
      const started = await store.update(job.id, { status: 'processing', runId: 'r1' }, { when: { status: ['pending'], attemptId: 'a1' }, addAttempts: 1 });
      expect(started).toMatchObject({ status: 'processing', runId: 'r1', attempts: 1 });
      expect(await store.update(job.id, { progress: 0.5 }, { when: { runId: 'r0' } })).toBeUndefined();
      expect(await store.update(job.id, { progress: 0.5 }, { when: { runId: 'r1' }, addAttempts: -1 })).toMatchObject({ progress: 0.5, attempts: 0 });
      const done = await store.update(job.id, { status: 'success', runId: undefined, finishedAt: new Date().toISOString() }, { when: { runId: 'r1' } });
      expect(done).not.toHaveProperty('runId');
      expect(await store.update(job.id, { notifiedAt: 'now' }, { when: { status: ['success'], absent: ['notifiedAt'] } })).toMatchObject({ notifiedAt: 'now' });
      expect(await store.update(job.id, { notifiedAt: 'again' }, { when: { status: ['success'], absent: ['notifiedAt'] } })).toBeUndefined();
    });

    it('keeps concurrent updates of one job consistent: one compare-and-set wins, every increment counts', async () => {
      const job = sampleJob();
      await store.create(job);
      const other = options.peer ? await options.peer() : store;
      if (other !== store) await other.open();
      const winners = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).update(job.id, { status: 'processing', message: `w${i}` }, { when: { status: ['pending'] } })),
      );
      expect(winners.filter(Boolean)).toHaveLength(1);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).update(job.id, {}, { addAttempts: 1 })));
      expect((await store.get(job.id))!.attempts).toBe(20);
      if (other !== store) await other.close();
    });

    it('creates one job per user and idempotency key, even from concurrent submissions', async () => {
      const user = `idem-race-${sequence}`;
      const other = options.peer ? await options.peer() : store;
      if (other !== store) await other.open();
      const candidates = Array.from({ length: 8 }, () => sampleJob({ userId: user, idempotencyKey: 'same' }));
      const results = await Promise.all(candidates.map((job, i) => (i % 2 ? other : store).create(job)));
      const ids = new Set(results.map((r) => r.id));
      expect(ids.size).toBe(1);
      expect((await store.list({ userId: user })).total).toBe(1);
      // Another user may use the same key.
      const mine = sampleJob({ userId: `${user}-b`, idempotencyKey: 'same' });
      expect((await store.create(mine)).id).toBe(mine.id);
      if (other !== store) await other.close();
    });

    it('lists one user newest first, with paging, total, status and date filters', async () => {
      const user = `lister-${sequence}`;
      const jobs = [];
      for (let i = 0; i < 5; i++) {
        const job = sampleJob({ userId: user, status: i % 2 ? 'success' : 'pending' }, (5 - i) * 1000);
        await store.create(job);
        jobs.push(job);
      }
      await store.create(sampleJob({ userId: `${user}-other` }));
      const first = await store.list({ userId: user, page: 1, pageSize: 2 });
      expect(first).toMatchObject({ total: 5, page: 1, pageSize: 2 });
      expect(first.jobs.map((j) => j.id)).toEqual([jobs[4]!.id, jobs[3]!.id]);
      expect((await store.list({ userId: user, page: 3, pageSize: 2 })).jobs.map((j) => j.id)).toEqual([jobs[0]!.id]);
      expect((await store.list({ userId: user, order: 'oldest', pageSize: 1 })).jobs[0]!.id).toBe(jobs[0]!.id);
      const done = await store.list({ userId: user, status: 'success' });
      expect(done.jobs.map((j) => j.id)).toEqual([jobs[3]!.id, jobs[1]!.id]);
      const recent = await store.list({ userId: user, createdAfter: jobs[2]!.createdAt });
      expect(recent.total).toBe(3);
      const older = await store.list({ userId: user, createdBefore: jobs[1]!.createdAt });
      expect(older.total).toBe(2);
      expect((await store.list({ userId: 'nobody' })).total).toBe(0);
    });

    it('counts by status, everyone\'s and one user\'s, following transitions and deletions', async () => {
      const user = `counter-${sequence}`;
      const before = await store.counts();
      const job = sampleJob({ userId: user });
      await store.create(job);
      await store.create(sampleJob({ userId: user, status: 'success' }));
      await store.update(job.id, { status: 'failure' });
      const after = await store.counts();
      expect(after.failure).toBe(before.failure + 1);
      expect(after.pending).toBe(before.pending);
      expect(await store.counts(user)).toEqual({ pending: 0, processing: 0, retrying: 0, success: 1, failure: 1, cancelled: 0 });
      await store.delete(job.id);
      expect((await store.counts()).failure).toBe(before.failure);
      expect((await store.counts(user)).failure).toBe(0);
      expect(await store.get(job.id)).toBeUndefined();
    });

    it('summarises a window by status with render-time quantiles', async () => {
      const user = `summary-${sequence}`;
      // One clock reading for every timestamp: two readings a millisecond apart made a 3 s render 3.001 s.
      const now = Date.now();
      const at = (msAgo: number) => new Date(now - msAgo).toISOString();
      for (const seconds of [1, 2, 3, 4, 10]) {
        await store.create(sampleJob({ userId: user, status: 'success', startedAt: at(60_000 + seconds * 1000), finishedAt: at(60_000) }, 120_000));
      }
      await store.create(sampleJob({ userId: user, status: 'failure', finishedAt: at(1000) }, 30_000));
      await store.create(sampleJob({ userId: user }, 1000));
      await store.create(sampleJob({ userId: user, status: 'success', startedAt: at(9_000_000), finishedAt: at(8_000_000) }, 10_000_000));
      const summary = await store.summary({ since: new Date(Date.now() - 3_600_000), userId: user });
      expect(summary.total).toBe(7);
      expect(summary.counts).toMatchObject({ success: 5, failure: 1, pending: 1 });
      expect(summary.renderSeconds).toEqual({ p50: 3, p95: 10, count: 5 });
      const everyone = await store.summary({ since: new Date(Date.now() - 3_600_000) });
      expect(everyone.total).toBeGreaterThanOrEqual(7);
      expect((await store.summary({ since: new Date(), userId: user })).renderSeconds).toEqual({ p50: null, p95: null, count: 0 });
    });

    it('finds a job by user and idempotency key', async () => {
      const job = sampleJob({ userId: 'idem-user', idempotencyKey: 'key-1' });
      await store.create(job);
      expect((await store.findByIdempotencyKey('idem-user', 'key-1'))?.id).toBe(job.id);
      expect(await store.findByIdempotencyKey('someone-else', 'key-1')).toBeUndefined();
    });

    it('returns finished jobs oldest first, and forgets a job retried out of a final state', async () => {
      const cutoff = new Date(Date.now() - 60_000);
      const old = [3, 2, 1].map((minutes) => sampleJob({ status: 'success', finishedAt: new Date(cutoff.getTime() - minutes * 60_000).toISOString() }, 600_000));
      for (const job of old) await store.create(job);
      const fresh = sampleJob({ status: 'failure', finishedAt: new Date().toISOString() });
      await store.create(fresh);
      const expired = (await store.finishedBefore(cutoff, 100)).filter((j) => old.some((o) => o.id === j.id));
      expect(expired.map((j) => j.id)).toEqual(old.map((j) => j.id));
      expect((await store.finishedBefore(cutoff, 100)).some((j) => j.id === fresh.id)).toBe(false);
      await store.update(old[0]!.id, { status: 'pending', finishedAt: undefined });
      expect((await store.finishedBefore(cutoff, 100)).some((j) => j.id === old[0]!.id)).toBe(false);
    });

    it('lists unfinished jobs', async () => {
      const statuses: JobStatus[] = ['pending', 'processing', 'retrying', 'success'];
      const jobs = statuses.map((status) => sampleJob({ status }));
      for (const job of jobs) await store.create(job);
      const unfinished = new Set((await store.unfinished()).map((j) => j.id));
      expect(jobs.map((j) => unfinished.has(j.id))).toEqual([true, true, true, false]);
    });

    it.runIf(Boolean(options.reopen))('rebuilds records, indexes and counts after a restart', async () => {
      const user = `durable-${sequence}`;
      const a = sampleJob({ userId: user, idempotencyKey: 'again' }, 2000);
      const b = sampleJob({ userId: user, status: 'success', finishedAt: new Date().toISOString() }, 1000);
      await store.create(a);
      await store.create(b);
      const counts = await store.counts();
      await store.close();
      store = await options.reopen!();
      await store.open();
      expect(await store.get(a.id)).toEqual(a);
      expect(await store.counts()).toEqual(counts);
      expect((await store.list({ userId: user })).jobs.map((j) => j.id)).toEqual([b.id, a.id]);
      expect((await store.findByIdempotencyKey(user, 'again'))?.id).toBe(a.id);
      expect((await store.unfinished()).some((j) => j.id === a.id)).toBe(true);
    });

    it.runIf(Boolean(options.reopen))('after a restart, still returns finished jobs in finish order', async () => {
      const hour = 3_600_000;
      // Created first but finished last (it was retried), then one created later, finished long ago.
      const retried = sampleJob({ status: 'success', finishedAt: new Date(Date.now() - 1 * hour).toISOString() }, 48 * hour);
      const old = sampleJob({ status: 'success', finishedAt: new Date(Date.now() - 46 * hour).toISOString() }, 47 * hour);
      await store.create(retried);
      await store.create(old);
      await store.close();
      store = await options.reopen!();
      await store.open();
      const expired = (await store.finishedBefore(new Date(Date.now() - 24 * hour), 1000)).map((j) => j.id);
      expect(expired).toContain(old.id);
      expect(expired).not.toContain(retried.id);
    });
  });
}
