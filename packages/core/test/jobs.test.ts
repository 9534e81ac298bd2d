import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalStorage } from '@scriptsensei/adapters';
import Keyv from 'keyv';
import { ConflictError, NotFoundError, ValidationError, createKeyvJobStore, createVideoJobs, isTerminal, type JobRecord, type JobStore, type VideoJobs } from '../src/index.js';
import { createFakePipeline, latch, until, type FakeRunPlan } from '../src/testing/index.js';

const engines: VideoJobs[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close({ timeoutMs: 1000 })));
});

async function engine(behaviour?: (script: string, attempt: number) => FakeRunPlan | undefined, options: Partial<Parameters<typeof createVideoJobs>[0]> = {}) {
  const fake = createFakePipeline(behaviour, options.pipeline?.providers.storage);
  const jobs = await createVideoJobs({ pipeline: fake.pipeline, concurrency: 2, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...options });
  engines.push(jobs);
  return { jobs, ...fake };
}

const settled = (jobs: VideoJobs, id: string) => until(async () => isTerminal((await jobs.get(id)).status));
/** Resolves once no attempt runs on `jobs`' queue: every handler, store writes included, is done. */
const idle = (jobs: VideoJobs) => until(async () => (await jobs.queueStats()).running === 0);
/** Resolves once `retentionMs` has passed since each job finished: a sweep now finds them expired. */
const expired = (jobs: VideoJobs, ids: string[], retentionMs: number) =>
  until(async () => (await Promise.all(ids.map((id) => jobs.get(id)))).every((job) => Date.now() - Date.parse(job.finishedAt!) > retentionMs));

describe('createVideoJobs (recorded fake pipeline)', () => {
  it('returns a pending job at once and runs it to success', async () => {
    const { jobs } = await engine(() => ({ ms: 30 }));
    const events: string[] = [];
    for (const name of ['submitted', 'progress', 'succeeded'] as const) jobs.on(name, () => events.push(name));
    const job = await jobs.submit({ script: 'Hello.' }, { userId: 'u1' });
    expect(job).toMatchObject({ status: 'pending', progress: 0, userId: 'u1', priority: 5, attempts: 0, maxAttempts: 3 });
    await settled(jobs, job.id);
    const done = await jobs.get(job.id);
    expect(done).toMatchObject({ status: 'success', progress: 1, attempts: 1, stage: 'complete' });
    expect(done.result?.key).toMatch(/^videos\//);
    expect(done.startedAt! >= done.createdAt).toBe(true);
    expect(done.finishedAt! >= done.startedAt!).toBe(true);
    expect(events[0]).toBe('submitted');
    expect(events.at(-1)).toBe('succeeded');
  });

  it('runs higher priority first, first come first served within a priority', async () => {
    // The only slot is held by the blocker until every other job is queued behind it.
    const busy = latch();
    const { jobs, runs } = await engine((script) => (script === 'blocker' ? { hold: busy.promise } : { ms: 1 }), { concurrency: 1 });
    const blocker = await jobs.submit({ script: 'blocker' });
    await until(() => runs.length === 1);
    const order = [
      ['low', 1],
      ['high-a', 10],
      ['mid', 5],
      ['high-b', 10],
    ] as const;
    const submitted = [];
    for (const [script, priority] of order) submitted.push(await jobs.submit({ script }, { priority }));
    expect(runs).toHaveLength(1);
    busy.release();
    await Promise.all([blocker, ...submitted].map((j) => settled(jobs, j.id)));
    expect(runs.map((r) => r.script)).toEqual(['blocker', 'high-a', 'high-b', 'mid', 'low']);
  });

  it('never runs more jobs at once than its concurrency', async () => {
    // Every run holds until the three slots are full, so the peak is reached for certain.
    const full = latch();
    const { jobs, runs, peak } = await engine(() => ({ hold: full.promise, ms: 1 }), { concurrency: 3 });
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => jobs.submit({ script: `job ${i}` })));
    await until(() => runs.length === 3);
    full.release();
    await Promise.all(all.map((j) => settled(jobs, j.id)));
    expect(runs).toHaveLength(12);
    expect(peak()).toBe(3);
  });

  it('cancels a pending job before it runs', async () => {
    const busy = latch();
    const { jobs, runs } = await engine((script) => (script === 'blocker' ? { hold: busy.promise } : { ms: 1 }), { concurrency: 1 });
    await jobs.submit({ script: 'blocker' });
    await until(() => runs.length === 1);
    const waiting = await jobs.submit({ script: 'never runs' });
    const cancelled = await jobs.cancel(waiting.id);
    expect(cancelled.status).toBe('cancelled');
    // Queued after the cancelled job at the same priority, on the only slot: once it has run, the
    // cancelled job would have run before it.
    const after = await jobs.submit({ script: 'after' });
    busy.release();
    await settled(jobs, after.id);
    expect(runs.map((r) => r.script)).toEqual(['blocker', 'after']);
    expect((await jobs.get(waiting.id)).status).toBe('cancelled');
  });

  it('cancels a running job: its signal fires and cancel resolves after it stopped', async () => {
    const { jobs, runs } = await engine(() => ({ hold: latch().promise }));
    const job = await jobs.submit({ script: 'long' });
    await until(() => runs.length === 1);
    expect((await jobs.get(job.id)).status).toBe('processing');
    const cancelled = await jobs.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(runs[0]!.outcome).toBe('cancelled');
    // Once the attempt's handler is done, nothing is left to overwrite the status.
    await idle(jobs);
    expect((await jobs.get(job.id)).status).toBe('cancelled');
  });

  it('refuses to cancel a finished job and leaves it unchanged', async () => {
    const { jobs } = await engine();
    const job = await jobs.submit({ script: 'quick' });
    await settled(jobs, job.id);
    const before = await jobs.get(job.id);
    await expect(jobs.cancel(job.id)).rejects.toSatisfy(ConflictError.is);
    expect(await jobs.get(job.id)).toEqual(before);
  });

  it('retries transient failures with backoff, then succeeds', async () => {
    const { jobs, attempts } = await engine((_, attempt) => (attempt < 3 ? { fail: 'transient' } : { ms: 1 }));
    const retrying: JobRecord[] = [];
    jobs.on('retrying', (job) => retrying.push(job));
    const job = await jobs.submit({ script: 'flaky' });
    await settled(jobs, job.id);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'success', attempts: 3 });
    expect(attempts('flaky')).toBe(3);
    expect(retrying.map((j) => j.attempts)).toEqual([1, 2]);
    expect(retrying[0]!.error).toMatchObject({ code: 'PROVIDER', retryable: true });
    expect(retrying[0]!.nextAttemptAt).toBeDefined();
  });

  it('fails after the last attempt', async () => {
    const { jobs, attempts } = await engine(() => ({ fail: 'transient' }), { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const job = await jobs.submit({ script: 'always down' });
    await settled(jobs, job.id);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'failure', attempts: 2, error: { code: 'PROVIDER', retryable: true } });
    expect(attempts('always down')).toBe(2);
  });

  it('fails a non-retryable error at once', async () => {
    const { jobs, attempts } = await engine(() => ({ fail: 'fatal' }));
    const job = await jobs.submit({ script: 'bad voice' });
    await settled(jobs, job.id);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'failure', attempts: 1, error: { code: 'VALIDATION', retryable: false } });
    expect(attempts('bad voice')).toBe(1);
  });

  it('retry() re-runs a failed job from the start; other states conflict', async () => {
    let broken = true;
    const { jobs } = await engine(() => (broken ? { fail: 'fatal' } : { ms: 1 }));
    const job = await jobs.submit({ script: 'fix me' });
    await settled(jobs, job.id);
    await expect(jobs.retry(job.id)).resolves.toMatchObject({ status: 'pending', attempts: 0 });
    broken = false;
    await settled(jobs, job.id);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'success', attempts: 1 });
    expect((await jobs.get(job.id)).error).toBeUndefined();
    await expect(jobs.retry(job.id)).rejects.toSatisfy(ConflictError.is);
  });

  it('returns the same job for the same idempotency key and user', async () => {
    const { jobs, runs } = await engine();
    const [a, b] = await Promise.all([
      jobs.submit({ script: 'once' }, { userId: 'u1', idempotencyKey: 'k1' }),
      jobs.submit({ script: 'once' }, { userId: 'u1', idempotencyKey: 'k1' }),
    ]);
    const later = await jobs.submit({ script: 'once' }, { userId: 'u1', idempotencyKey: 'k1' });
    const otherUser = await jobs.submit({ script: 'once' }, { userId: 'u2', idempotencyKey: 'k1' });
    expect(b.id).toBe(a.id);
    expect(later.id).toBe(a.id);
    expect(otherUser.id).not.toBe(a.id);
    await Promise.all([a, otherUser].map((j) => settled(jobs, j.id)));
    expect(runs).toHaveLength(2);
  });

  it('rejects bad input with every field named, and enqueues nothing', async () => {
    const { jobs, runs } = await engine();
    const error = await jobs
      .submit({ script: '  ', platform: 'vine' as never, targetDurationSeconds: -1 }, { priority: 11, userId: '', webhookUrl: 'ftp://x' })
      .catch((e: unknown) => e);
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).issues.map((i) => i.field).sort()).toEqual(['platform', 'priority', 'script', 'targetDurationSeconds', 'userId', 'webhookUrl']);
    expect(Object.values(await jobs.counts()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(runs).toHaveLength(0);
  });

  it('answers unknown ids with NotFoundError', async () => {
    const { jobs } = await engine();
    await expect(jobs.get('nope')).rejects.toSatisfy(NotFoundError.is);
    await expect(jobs.cancel('nope')).rejects.toSatisfy(NotFoundError.is);
    await expect(jobs.retry('nope')).rejects.toSatisfy(NotFoundError.is);
  });

  it('lists per user with paging, status filter and total; counts by status', async () => {
    const { jobs } = await engine((script) => (script.startsWith('bad') ? { fail: 'fatal' } : { ms: 1 }));
    const mine = [];
    for (let i = 0; i < 7; i++) mine.push(await jobs.submit({ script: i % 3 === 0 ? `bad ${i}` : `good ${i}` }, { userId: 'me' }));
    const theirs = await jobs.submit({ script: 'theirs' }, { userId: 'them' });
    await Promise.all([...mine, theirs].map((j) => settled(jobs, j.id)));
    const page1 = await jobs.list({ userId: 'me', page: 1, pageSize: 3 });
    expect(page1.total).toBe(7);
    expect(page1.jobs.map((j) => j.id)).toEqual([mine[6]!.id, mine[5]!.id, mine[4]!.id]);
    const page3 = await jobs.list({ userId: 'me', page: 3, pageSize: 3 });
    expect(page3.jobs.map((j) => j.id)).toEqual([mine[0]!.id]);
    const failed = await jobs.list({ userId: 'me', status: 'failure', order: 'oldest' });
    expect(failed.jobs.map((j) => j.request.script)).toEqual(['bad 0', 'bad 3', 'bad 6']);
    expect((await jobs.list({ status: 'success' })).total).toBe(5);
    expect(await jobs.counts()).toMatchObject({ success: 5, failure: 3, pending: 0, processing: 0 });
  });

  it('sweeps expired jobs and deletes their videos from storage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    try {
      const storage = createLocalStorage({ directory: dir });
      const fake = createFakePipeline(() => ({ ms: 1 }), storage);
      const jobs = await createVideoJobs({ pipeline: fake.pipeline, retentionMs: 40, sweepIntervalMs: 3_600_000 });
      engines.push(jobs);
      const job = await jobs.submit({ script: 'short lived' });
      await settled(jobs, job.id);
      const { key } = (await jobs.get(job.id)).result!;
      expect(await storage.exists(key)).toBe(true);
      await expired(jobs, [job.id], 40);
      expect(await jobs.sweep()).toBe(1);
      await expect(jobs.get(job.id)).rejects.toSatisfy(NotFoundError.is);
      expect(await storage.exists(key)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('notifies subscribers of one job until they unsubscribe', async () => {
    const { jobs } = await engine(() => ({ ms: 20 }));
    const job = await jobs.submit({ script: 'watched' });
    const seen: string[] = [];
    const unsubscribe = jobs.subscribe(job.id, (j) => seen.push(`${j.status}:${j.progress}`));
    await settled(jobs, job.id);
    unsubscribe();
    expect(seen[0]).toBe('processing:0');
    expect(seen.at(-1)).toBe('success:1');
    expect(seen).toContain('processing:0.9');
  });

  it('estimates time left from progress and past jobs', async () => {
    const { jobs } = await engine(() => ({ ms: 60 }), { concurrency: 1 });
    const first = await jobs.submit({ script: 'first' });
    await settled(jobs, first.id);
    const second = await jobs.submit({ script: 'second' });
    expect(second.etaSeconds).toBeGreaterThan(0);
  });

  it('settles 200 jobs submitted at once: none lost, none run twice after success', async () => {
    const { jobs, runs } = await engine((script, attempt) => {
      const n = Number(script.split(' ')[1]);
      if (n % 10 === 0 && attempt === 1) return { fail: 'transient', ms: 1 };
      if (n % 17 === 0) return { fail: 'fatal' };
      return { ms: n % 5 };
    }, { concurrency: 4 });
    const submitted = await Promise.all(Array.from({ length: 200 }, (_, i) => jobs.submit({ script: `job ${i}` }, { priority: (i % 10) + 1 })));
    const cancelledIds = new Set<string>();
    for (const job of submitted.slice(190)) {
      await jobs.cancel(job.id).then(() => cancelledIds.add(job.id), () => undefined);
    }
    await until(async () => {
      const c = await jobs.counts();
      return c.success + c.failure + c.cancelled === 200;
    }, 20_000);
    expect(new Set(submitted.map((j) => j.id)).size).toBe(200);
    const successes = runs.filter((r) => r.outcome === 'success').map((r) => r.script);
    expect(new Set(successes).size).toBe(successes.length);
    for (const job of submitted) {
      const final = await jobs.get(job.id);
      expect(isTerminal(final.status)).toBe(true);
      if (cancelledIds.has(job.id)) expect(final.status).toBe('cancelled');
    }
    expect((await jobs.list({ pageSize: 100 })).total).toBe(200);
  });

  it('close() waits for running jobs, then stops and re-queues the ones that overran', async () => {
    const keyv = new Keyv();
    const { jobs, runs } = await engine(() => ({ hold: latch().promise }), { store: createKeyvJobStore({ keyv }) });
    const job = await jobs.submit({ script: 'overrun' });
    await until(() => runs.length === 1);
    await jobs.close({ timeoutMs: 50 });
    engines.splice(engines.indexOf(jobs), 1);
    expect(runs[0]!.outcome).toBe('cancelled');
    await expect(jobs.submit({ script: 'late' })).rejects.toSatisfy(ConflictError.is);

    // The next engine on the same store finishes it; the interrupted attempt did not count.
    const { jobs: next } = await engine(() => ({ ms: 1 }), { store: createKeyvJobStore({ keyv }) });
    await settled(next, job.id);
    expect(await next.get(job.id)).toMatchObject({ status: 'success', attempts: 1 });
  });

  it('reports the health of every part', async () => {
    const { jobs } = await engine();
    const report = await jobs.health();
    expect(Object.keys(report.checks).sort()).toEqual(['events', 'ffmpeg', 'images', 'queue', 'storage', 'store', 'tts', 'workers']);
    expect(report.checks.store).toEqual({ ok: true });
    expect(report.checks.ffmpeg).toEqual({ ok: true });
    expect(report.workers).toEqual([expect.objectContaining({ pid: process.pid, concurrency: 2, running: 0 })]);
  });

  it('an API-only engine (concurrency 0) runs nothing and says no worker is there', async () => {
    const { jobs, runs } = await engine(() => ({ ms: 1 }), { concurrency: 0 });
    const job = await jobs.submit({ script: 'Waiting for a worker.' });
    const report = await jobs.health();
    expect(report.ok).toBe(false);
    expect(report.checks.workers).toMatchObject({ ok: false, error: expect.stringMatching(/no worker/) });
    expect(report.checks).not.toHaveProperty('ffmpeg');
    expect((await jobs.get(job.id)).status).toBe('pending');
    expect(runs).toHaveLength(0);
    expect(await jobs.sweep()).toBe(0);
  });
});

describe('retention sweep with a storage that refuses a delete', () => {
  it('removes every expired job and reports the video it could not delete', async () => {
    const fake = createFakePipeline(() => ({ ms: 1 }));
    const deleted: string[] = [];
    const storage = {
      ...fake.pipeline.providers.storage,
      delete: async (key: string) => {
        if (key.includes('stuck')) throw new Error('AccessDenied');
        deleted.push(key);
      },
    };
    const pipeline = { ...fake.pipeline, providers: { ...fake.pipeline.providers, storage } };
    const jobs = await createVideoJobs({ pipeline, retentionMs: 30, sweepIntervalMs: 3_600_000 });
    engines.push(jobs);
    const failures: string[] = [];
    jobs.on('sweepFailed', (job) => failures.push(job?.request.script ?? 'cache'));
    const submitted = [];
    for (const script of ['stuck one', 'fine two', 'fine three']) submitted.push(await jobs.submit({ script }));
    await Promise.all(submitted.map((j) => settled(jobs, j.id)));
    await expired(jobs, submitted.map((j) => j.id), 30);
    expect(await jobs.sweep()).toBe(3);
    expect(failures).toEqual(['stuck one']);
    expect(deleted).toHaveLength(2);
    expect((await jobs.counts()).success).toBe(0);
  });
});

describe('live streams and every stored file (fake pipeline storing what the real one stores)', () => {
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-files-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return createLocalStorage({ directory: dir });
  };
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((clean) => clean()));

  const filesOf = (id: string) => [`videos/${id}.hls/index.m3u8`, `videos/${id}.hls/segment-0.m4s`, `videos/${id}.mp4`, `videos/${id}.jpg`];

  it('stores the live stream on the job as soon as the render publishes it, tells subscribers at once, and drops it at the end', async () => {
    const store = createKeyvJobStore({ keyv: new Keyv() });
    const hold = latch();
    const { jobs } = await engine(() => ({ files: true, hold: hold.promise }), { store });
    const job = await jobs.submit({ script: 'Watch me render.' });
    const seen: JobRecord[] = [];
    jobs.subscribe(job.id, (j) => seen.push(j));
    await until(() => seen.some((j) => j.live));
    const live = { playlistKey: `videos/${job.id}.hls/index.m3u8`, url: `file:///videos/${job.id}.hls/index.m3u8` };
    expect(seen.find((j) => j.live)).toMatchObject({ status: 'processing', live });
    await until(async () => (await store.get(job.id))?.live !== undefined);
    expect((await store.get(job.id))!.live).toEqual(live);

    hold.release();
    await settled(jobs, job.id);
    const done = await jobs.get(job.id);
    expect(done.live).toBeUndefined();
    expect(done.result?.hls?.key).toBe(live.playlistKey);
    expect(done.result?.artifacts.sort()).toEqual(filesOf(job.id).sort());
  });

  it('an automatic retry and a shutdown hand-back clear the live stream of the attempt that ended', async () => {
    const { jobs } = await engine((script, attempt) => (script === 'flaky' && attempt === 1 ? { files: true, fail: 'transient' } : { ms: 1 }));
    const flaky = await jobs.submit({ script: 'flaky' });
    const seen: JobRecord[] = [];
    jobs.subscribe(flaky.id, (j) => seen.push(j));
    await settled(jobs, flaky.id);
    const retrying = seen.findIndex((j) => j.status === 'retrying');
    expect(seen.slice(0, retrying).some((j) => j.live)).toBe(true);
    expect(seen.slice(retrying).every((j) => j.live === undefined)).toBe(true);

    const keyv = new Keyv();
    const store = createKeyvJobStore({ keyv });
    const { jobs: stopping } = await engine(() => ({ files: true, hold: latch().promise }), { store });
    const job = await stopping.submit({ script: 'interrupted' });
    await until(async () => (await store.get(job.id))?.live !== undefined);
    await stopping.close({ timeoutMs: 20 });
    engines.splice(engines.indexOf(stopping), 1);
    const reopened = createKeyvJobStore({ keyv });
    await reopened.open();
    const handedBack = await reopened.get(job.id);
    expect(handedBack?.status).toBe('pending');
    expect(handedBack?.live).toBeUndefined();
  });

  it('the retention sweep deletes every file a job stored, not only its video', async () => {
    const storage = scratch();
    const fake = createFakePipeline(() => ({ files: true }), storage);
    const jobs = await createVideoJobs({ pipeline: fake.pipeline, retentionMs: 1 });
    engines.push(jobs);
    const job = await jobs.submit({ script: 'Short lived.' });
    await settled(jobs, job.id);
    for (const key of filesOf(job.id)) expect(await storage.exists(key)).toBe(true);
    // A retention of 1 ms: the job expires as soon as the clock moves on.
    await until(async () => (await jobs.sweep()) === 1 || !(await storage.exists(`videos/${job.id}.mp4`)));
    await expect(jobs.get(job.id)).rejects.toSatisfy(NotFoundError.is);
    for (const key of filesOf(job.id)) expect(await storage.exists(key)).toBe(false);
  });

  it('a job cancelled while its files were being stored keeps none of them', async () => {
    const storage = scratch();
    const inner = createKeyvJobStore({ keyv: new Keyv() });
    // Another process cancels the job between the render's end and the worker recording it.
    const store: JobStore = {
      ...inner,
      update: async (id, patch, options) => {
        if (patch.status === 'success') await inner.update(id, { status: 'cancelled' }, { when: { status: ['processing'] } });
        return inner.update(id, patch, options);
      },
    };
    const fake = createFakePipeline(() => ({ files: true }), storage);
    const jobs = await createVideoJobs({ pipeline: fake.pipeline, store });
    engines.push(jobs);
    const job = await jobs.submit({ script: 'Too late.' });
    await until(async () => (await inner.get(job.id))?.status === 'cancelled' && fake.runs[0]?.outcome === 'success');
    await until(async () => (await Promise.all(filesOf(job.id).map((key) => storage.exists(key)))).every((exists) => !exists));
  });

  it('the orphan sweep deletes old files no job owns, and keeps those a finished job lists and those of a job still rendering', async () => {
    const storage = scratch();
    const hold = latch();
    const fake = createFakePipeline((script) => ({ files: true, ...(script === 'rendering' ? { hold: hold.promise } : {}) }), storage);
    const jobs = await createVideoJobs({ pipeline: fake.pipeline, retentionMs: 60_000 });
    engines.push(jobs);
    const finished = await jobs.submit({ script: 'finished' });
    await settled(jobs, finished.id);
    const rendering = await jobs.submit({ script: 'rendering' });
    await until(async () => (await jobs.get(rendering.id)).live !== undefined);

    const orphanId = '7d1c7a52-0000-4000-8000-000000000000';
    const strays = [`videos/${orphanId}.mp4`, `videos/${orphanId}.srt`, `videos/${orphanId}.hls/segment-3.m4s`, `videos/${finished.id}.hls/segment-9.m4s`];
    for (const key of strays) {
      mkdirSync(join(storage.root, key, '..'), { recursive: true });
      writeFileSync(join(storage.root, key), 'left behind');
    }
    const kept = [...filesOf(finished.id), `videos/${rendering.id}.hls/index.m3u8`, `videos/${rendering.id}.hls/segment-0.m4s`];
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const key of [...strays, ...kept]) utimesSync(join(storage.root, key), hourAgo, hourAgo);
    const young = `videos/${orphanId}.jpg`;
    writeFileSync(join(storage.root, young), 'too young to sweep');

    await jobs.sweep();
    for (const key of strays) expect(await storage.exists(key), key).toBe(false);
    for (const key of [...kept, young]) expect(await storage.exists(key), key).toBe(true);
    hold.release();
    await settled(jobs, rendering.id);
  });
});

