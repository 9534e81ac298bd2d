import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWorker, createVideoJobs, isTerminal, type JobWorker, type VideoJobs } from '@scriptsensei/core';
import { createFakePipeline, until } from '@scriptsensei/core/testing';
import { createRedisBackends } from '@scriptsensei/adapters/bullmq';
import { REDIS_URL, connectRedis, deleteKeys } from '@scriptsensei/adapters/testing';

// Runs the built binary against the real Redis, with an engine of the test's own on a unique prefix.
const BIN = join(fileURLToPath(new URL('../../../', import.meta.url)), 'packages/cli/dist/bin.js');
const redis = await connectRedis();
const prefix = `{ss-cli-${randomUUID().slice(0, 8)}}`;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'queue', ...args], { env: { ...process.env, REDIS_URL, REDIS_PREFIX: prefix } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.skipIf(!redis)('scriptsensei queue status|stats|retry-failed|purge', () => {
  let producer: VideoJobs;
  let worker: JobWorker;
  const fake = createFakePipeline((script, attempt) => (script.startsWith('fail') && attempt === 1 ? { fail: 'fatal' } : { ms: 5 }));
  beforeAll(async () => {
    producer = await createVideoJobs({ pipeline: fake.pipeline, ...createRedisBackends({ connection: REDIS_URL, prefix }), concurrency: 0 });
    worker = await createJobWorker({ pipeline: fake.pipeline, ...createRedisBackends({ connection: REDIS_URL, prefix, heartbeatMs: 500 }), concurrency: 1 });
  });
  afterAll(async () => {
    await worker?.close();
    await producer?.close();
    if (redis) {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('reports Redis, the queue and the workers seen', async () => {
    const { code, stdout } = await cli('status', '--json');
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as { redis: string; waiting: number; workers: { id: string; concurrency: number }[] };
    expect(status).toMatchObject({ redis: 'reachable', waiting: 0 });
    expect(status.workers).toEqual([expect.objectContaining({ id: worker.id, concurrency: 1 })]);
    expect((await cli('status')).stdout).toMatch(/Workers seen: 1\n {2}\S+ {2}host/);
  });

  it('counts jobs by state and summarises the window; retries every failed job', async () => {
    const ok = await producer.submit({ script: 'works' });
    const bad = await Promise.all([producer.submit({ script: 'fail one' }), producer.submit({ script: 'fail two' })]);
    await until(async () => (await Promise.all([ok, ...bad].map((j) => producer.get(j.id)))).every((j) => isTerminal(j.status)));
    const stats = JSON.parse((await cli('stats', '--json')).stdout) as { counts: Record<string, number>; summary: { total: number; success_rate: number } };
    expect(stats.counts).toMatchObject({ success: 1, failure: 2 });
    expect(stats.summary).toMatchObject({ total: 3, success_rate: 1 / 3 });
    expect((await cli('stats')).stdout).toMatch(/success 1, failure 2/);

    const retried = await cli('retry-failed', '--json');
    expect(JSON.parse(retried.stdout)).toEqual({ retried: 2, failed: 2 });
    await until(async () => (await Promise.all(bad.map((j) => producer.get(j.id)))).every((j) => j.status === 'success'));
    expect(await producer.counts()).toMatchObject({ success: 3, failure: 0 });
  });

  it('purges waiting jobs only when confirmed, leaving none waiting', async () => {
    await worker.close();
    const waiting = await Promise.all([producer.submit({ script: 'never runs a' }), producer.submit({ script: 'never runs b' }, { priority: 9 })]);
    const refused = await cli('purge');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not confirmed/);
    expect((await producer.get(waiting[0]!.id)).status).toBe('pending');
    const purged = await cli('purge', '--yes', '--json');
    expect(purged.code).toBe(0);
    expect(JSON.parse(purged.stdout)).toEqual({ cancelled: 2 });
    for (const job of waiting) expect((await producer.get(job.id)).status).toBe('cancelled');
    expect((await producer.queueStats()).waiting).toBe(0);
  });

  it('exits 3 naming the address when Redis is unreachable', async () => {
    const { code, stderr } = await cli('status', '--redis-url', 'redis://127.0.0.1:1');
    expect(code).toBe(3);
    expect(stderr).toMatch(/Redis is unreachable at redis:\/\/127\.0\.0\.1:1/);
  });
});
