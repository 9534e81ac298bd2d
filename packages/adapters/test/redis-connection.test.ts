import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleJob, until } from '@scriptsensei/core/testing';
import { createRedisJobStore, redisConnectionFromEnv } from '@scriptsensei/adapters/bullmq';
import { answersPing, freePort, redisServerBinary } from '@scriptsensei/adapters/testing';

// A Redis and a Sentinel watching it, both this test's own on free ports (never the shared Redis).
const redisServer = redisServerBinary('the Sentinel test');

const dir = mkdtempSync(join(tmpdir(), 'sentinel-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!redisServer)('Redis behind Sentinel', () => {
  it('the job store connects through Sentinel, as REDIS_SENTINELS describes it', async () => {
    const [redisPort, sentinelPort] = [await freePort(), await freePort()];
    children.push(spawn(redisServer!, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
    const config = join(dir, 'sentinel.conf');
    writeFileSync(config, `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor scriptsensei-test 127.0.0.1 ${redisPort} 1\n`);
    children.push(spawn(redisServer!, [config, '--sentinel'], { stdio: 'ignore' }));
    await until(async () => (await answersPing(`redis://127.0.0.1:${redisPort}`)) && (await answersPing(`redis://127.0.0.1:${sentinelPort}`)), 10_000, 50);

    const connection = redisConnectionFromEnv({ REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`, REDIS_SENTINEL_NAME: 'scriptsensei-test' });
    expect(connection).toEqual({ sentinels: [{ host: '127.0.0.1', port: sentinelPort }], name: 'scriptsensei-test', password: undefined });
    const store = createRedisJobStore({ connection, prefix: '{sentinel-test}' });
    await store.open();
    const job = sampleJob();
    await store.create(job);
    expect(await store.get(job.id)).toEqual(job);
    await store.close();
    // The job landed in the Redis the Sentinel names.
    const direct = new Redis({ port: redisPort });
    expect(await direct.exists(`{sentinel-test}:job:${job.id}`)).toBe(1);
    direct.disconnect();
  });
});

describe('Redis connection from the environment', () => {
  it('reads Cluster nodes and rejects malformed entries with the variable named', () => {
    expect(redisConnectionFromEnv({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, [::1]:7001', REDIS_PASSWORD: 's3cret' })).toEqual({
      cluster: [{ host: '10.0.0.1', port: 7000 }, { host: '::1', port: 7001 }],
      options: { redisOptions: { password: 's3cret' } },
    });
    expect(() => redisConnectionFromEnv({ REDIS_CLUSTER_NODES: 'nohost' })).toThrow(/REDIS_CLUSTER_NODES: "nohost" is not host:port/);
    expect(redisConnectionFromEnv({ REDIS_URL: 'redis://example:6379/2' })).toBe('redis://example:6379/2');
    expect(redisConnectionFromEnv({})).toBeUndefined();
  });
});
