import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '@scriptsensei/core';
import { until } from '@scriptsensei/core/testing';
import { createRedisJobEvents } from '@scriptsensei/adapters/bullmq';
import { REDIS_URL, answersPing, connectRedis, deleteKeys, freePort, redisServerBinary } from '@scriptsensei/adapters/testing';
import { createJob, finished, getJob, longScript, mediaChildrenOf, startApi, startWorker, type Proc, type WireJob } from './cluster.js';

const redis = await connectRedis();
const scratch = mkdtempSync(join(tmpdir(), 'distributed-'));
const procs: Proc[] = [];
afterAll(async () => {
  for (const proc of procs) proc.kill('SIGKILL', { group: true });
  await Promise.all(procs.map((p) => p.exited));
  if (redis) {
    await deleteKeys(redis, '{ss-dist-');
    redis.disconnect();
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** A deployment of its own: Redis key prefix, storage and temp directory shared by its processes. */
function deployment(name: string) {
  const prefix = `{ss-dist-${name}-${randomUUID().slice(0, 8)}}`;
  const dir = join(scratch, name);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const env = {
    QUEUE: 'bullmq', REDIS_URL, REDIS_PREFIX: prefix, STORAGE_DIR: join(dir, 'storage'), TMPDIR: tmp, RATE_LIMIT: '0',
    BULLMQ_LOCK_MS: '3000', BULLMQ_STALLED_INTERVAL_MS: '1000', SWEEP_INTERVAL_MS: '500',
  };
  const track = <T extends { proc: Proc }>(started: T) => (procs.push(started.proc), started);
  const events: JobEvent[] = [];
  const bus = createRedisJobEvents({ connection: REDIS_URL, prefix });
  return {
    env,
    tmp,
    events,
    async listen() {
      bus.subscribe((event) => events.push(event));
      await bus.ready!();
    },
    succeededCount: (id: string) => events.filter((e) => e.type === 'succeeded' && e.job.id === id).length,
    api: async (more: Record<string, string> = {}) => track(await startApi({ ...env, ...more })),
    worker: async (more: Record<string, string> = {}) => track(await startWorker({ ...env, ...more })),
    close: () => bus.close(),
  };
}

const onWorker = async (base: string, id: string, workerId?: string) =>
  until(async () => {
    const job = await getJob(base, id);
    return job.status === 'processing' && job.progress >= 0.3 && (!workerId || job.worker_id === workerId);
  }, 60_000, 50);

describe.skipIf(!redis)('one API process (WORKERS=0) and two worker processes on BullMQ', { timeout: 180_000 }, () => {
  const d = deployment('pair');
  let base: string;
  let a: Awaited<ReturnType<typeof d.worker>>;
  let b: Awaited<ReturnType<typeof d.worker>>;
  beforeAll(async () => {
    await d.listen();
    ({ base } = await d.api());
    [a, b] = await Promise.all([d.worker(), d.worker()]);
  });
  afterAll(() => d.close());

  it('reports both workers in health, and 20 jobs all succeed once each, spread over both', async () => {
    await until(async () => ((await (await fetch(`${base}/jobs/health`)).json()) as { workers: unknown[] }).workers.length === 2, 20_000, 100);
    const health = (await (await fetch(`${base}/jobs/health`)).json()) as { status: string; workers: { id: string }[] };
    expect(health.status).toBe('healthy');
    expect(health.workers.map((w) => w.id).sort()).toEqual([a.id, b.id].sort());

    const jobs: WireJob[] = [];
    for (let i = 0; i < 20; i++) jobs.push(await createJob(base, `Job number ${i} of twenty. It is short.`));
    const done = await Promise.all(jobs.map((job) => finished(base, job.job_id, 120_000)));
    expect(done.map((j) => j.status)).toEqual(Array(20).fill('success'));
    expect(new Set(done.map((j) => j.worker_id))).toEqual(new Set([a.id, b.id]));
    await until(() => jobs.every((job) => d.succeededCount(job.job_id) === 1), 5000);
    const video = await fetch(done[0]!.result.video_url);
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
  });

  it('serves Prometheus metrics of the whole deployment and Bull Board over the render queue', async () => {
    const jobs = [await createJob(base, 'Measured once.'), await createJob(base, 'Measured twice.')];
    for (const job of jobs) expect((await finished(base, job.job_id)).status).toBe('success');
    const metrics = await (await fetch(base.replace('/api/v1', '/metrics'))).text();
    expect(metrics).toMatch(/^scriptsensei_workers 2$/m);
    expect(metrics).toMatch(/^scriptsensei_worker_slots 2$/m);
    expect(metrics).toMatch(/^scriptsensei_queue_waiting \d+$/m);
    expect(Number(/^scriptsensei_jobs\{state="success"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/^scriptsensei_render_duration_seconds_count (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^scriptsensei_stage_duration_seconds_count\{stage="composing"\} \d+$/m);

    const board = await fetch(base.replace('/api/v1', '/admin/queues'));
    expect(board.status).toBe(200);
    expect(await board.text()).toMatch(/<html/i);
    const queues = (await (await fetch(base.replace('/api/v1', '/admin/queues/api/queues'))).json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name)).toContain('renders');
  });

  it('puts Bull Board and metrics behind auth when asked', async () => {
    const { base: guarded } = await d.api({ API_KEYS: 'board-key:ops', METRICS_TOKEN: 'scrape-me' });
    const root = guarded.replace('/api/v1', '');
    const denied = await fetch(`${root}/admin/queues`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await fetch(`${root}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from('ops:board-key').toString('base64')}` } })).status).toBe(200);
    expect((await fetch(`${root}/admin/queues`, { headers: { authorization: 'Bearer board-key' } })).status).toBe(200);
    expect((await fetch(`${root}/admin/queues`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${root}/metrics`)).status).toBe(401);
    expect((await fetch(`${root}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).status).toBe(200);
  });

  it('streams SSE from the API process for a job running on a worker, through its stages to success', async () => {
    const job = await createJob(base, 'Streaming from another process. Second sentence here.');
    const response = await fetch(`${base}/jobs/${job.job_id}/events`);
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    const states = events.map((e) => JSON.parse(e.data) as { status: string; stage: string; worker_id: string | null });
    expect(states.at(-1)).toMatchObject({ status: 'success', stage: 'complete' });
    const stages = [...new Set(states.map((s) => s.stage))];
    expect(stages).toEqual(expect.arrayContaining(['narrating', 'illustrating', 'composing', 'complete']));
    expect([a.id, b.id]).toContain(states.at(-1)!.worker_id);
  });

  it('cancels from the API process a job running on a worker: ffmpeg gone within 2 s, status cancelled', async () => {
    const job = await createJob(base, longScript(40, 'cancel'));
    await until(async () => (await getJob(base, job.job_id)).stage === 'composing', 60_000, 50);
    const owner = (await getJob(base, job.job_id)).worker_id === a.id ? a : b;
    await until(() => mediaChildrenOf(owner.proc.pid).length > 0, 20_000, 20);
    const cancelled = await fetch(`${base}/jobs/${job.job_id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    const at = Date.now();
    await until(() => mediaChildrenOf(owner.proc.pid).length === 0, 2000, 20);
    expect(Date.now() - at).toBeLessThan(2000);
    expect(await getJob(base, job.job_id)).toMatchObject({ status: 'cancelled' });
  });
});

describe.skipIf(!redis)('a worker dies or stops mid-render', { timeout: 180_000 }, () => {
  it('SIGKILL of a worker and its ffmpeg: the job finishes on another worker, once, the lost attempt counted, no temp files left', async () => {
    const d = deployment('crash');
    await d.listen();
    const { base } = await d.api();
    const doomed = await d.worker();
    const job = await createJob(base, longScript(30, 'crash'));
    await onWorker(base, job.job_id, doomed.id);
    const survivor = await d.worker();
    doomed.proc.kill('SIGKILL', { group: true });
    await doomed.proc.exited;
    const done = await finished(base, job.job_id, 90_000);
    expect(done).toMatchObject({ status: 'success', attempts: 2, worker_id: survivor.id });
    expect(d.succeededCount(job.job_id)).toBe(1);
    // The survivor's sweep removes the dead worker's render directory.
    await until(() => readdirSync(d.tmp).filter((name) => name.startsWith('scriptsensei-')).length === 0, 10_000, 100);
    await d.close();
  });

  it('SIGTERM on a worker mid-job: it hands the job back, exits 0, and the job completes elsewhere without a counted attempt', async () => {
    const d = deployment('term');
    await d.listen();
    const { base } = await d.api();
    const leaving = await d.worker({ SHUTDOWN_TIMEOUT_MS: '200' });
    const job = await createJob(base, longScript(30, 'handback'));
    await onWorker(base, job.job_id, leaving.id);
    const staying = await d.worker();
    leaving.proc.kill('SIGTERM');
    expect(await leaving.proc.exited).toBe(0);
    expect(mediaChildrenOf(leaving.proc.pid)).toEqual([]);
    const done = await finished(base, job.job_id, 90_000);
    expect(done).toMatchObject({ status: 'success', attempts: 1, worker_id: staying.id });
    expect(d.succeededCount(job.job_id)).toBe(1);
    await d.close();
  });
});

const redisServer = redisServerBinary('the Redis-restart test');

describe.skipIf(!redis || !redisServer)('Redis restarts mid-run', { timeout: 180_000 }, () => {
  /** A Redis of this test's own, with an append-only file, so it can be restarted (never the shared one). */
  function privateRedis(port: number, dir: string) {
    const child = spawn(redisServer!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return { child, exited };
  }

  it('API and workers reconnect and carry on: every job completes, and a job submitted after the restart runs too', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const dir = mkdtempSync(join(scratch, 'redis-'));
    let server = privateRedis(port, dir);
    await until(() => answersPing(url), 10_000, 50);
    const d = deployment('restart');
    const env = { REDIS_URL: url };
    const { base } = await d.api(env);
    await d.worker(env);
    const jobs: WireJob[] = [];
    for (let i = 0; i < 3; i++) jobs.push(await createJob(base, longScript(6, `restart ${i}`)));
    await until(async () => (await getJob(base, jobs[0]!.job_id)).status === 'processing', 30_000, 50);

    server.child.kill('SIGTERM');
    await server.exited;
    server = privateRedis(port, dir);
    await until(() => answersPing(url), 10_000, 50);

    const done = await Promise.all(jobs.map((job) => finished(base, job.job_id, 120_000)));
    expect(done.map((j) => j.status)).toEqual(['success', 'success', 'success']);
    const after = await finished(base, (await createJob(base, 'Submitted after the restart.')).job_id, 60_000);
    expect(after.status).toBe('success');
    await until(async () => (await fetch(`${base}/jobs/health`)).status === 200, 20_000, 100);
    server.child.kill('SIGKILL');
    await server.exited;
    await d.close();
  });
});
