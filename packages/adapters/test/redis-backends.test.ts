import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runJobEventsContract, runJobQueueContract, runJobStoreContract, runTemplateStoreContract } from '@scriptsensei/core/testing';
import { createBullMQQueue, createRedisCacheIndex, createRedisJobEvents, createRedisJobStore, createRedisTemplateStore } from '@scriptsensei/adapters/bullmq';
import { REDIS_URL, connectRedis, deleteKeys } from '@scriptsensei/adapters/testing';

const redis = await connectRedis();
const skip = redis ? undefined : `Redis unreachable at ${REDIS_URL}`;
// Each suite (and each queue) owns its keys: nothing shared with other tests or runs.
const run = `ss-test-${randomUUID().slice(0, 8)}`;
afterAll(async () => {
  if (!redis) return;
  await deleteKeys(redis, `{${run}`);
  redis.disconnect();
});

const storePrefix = `{${run}-store}`;
runJobStoreContract({
  name: 'redis',
  skip,
  create: () => createRedisJobStore({ connection: REDIS_URL, prefix: storePrefix }),
  reopen: () => createRedisJobStore({ connection: REDIS_URL, prefix: storePrefix }),
  peer: () => createRedisJobStore({ connection: REDIS_URL, prefix: storePrefix }),
});

runTemplateStoreContract({
  name: 'redis',
  skip,
  create: () => createRedisTemplateStore({ connection: REDIS_URL, prefix: `{${run}-templates}` }),
  peer: () => createRedisTemplateStore({ connection: REDIS_URL, prefix: `{${run}-templates}` }),
});

let queues = 0;
const fastQueue = (prefix: string) => createBullMQQueue({ connection: REDIS_URL, prefix, heartbeatMs: 200 });
runJobQueueContract({
  name: 'bullmq',
  skip,
  create: () => fastQueue(`{${run}-queue-${(queues += 1)}}`),
  peer: () => fastQueue(`{${run}-queue-${queues}}`),
});

let buses = 0;
runJobEventsContract({
  name: 'redis pub/sub',
  skip,
  create: () => createRedisJobEvents({ connection: REDIS_URL, prefix: `{${run}-events-${(buses += 1)}}` }),
  peer: () => createRedisJobEvents({ connection: REDIS_URL, prefix: `{${run}-events-${buses}}` }),
});

describe.skipIf(Boolean(skip))('artifact cache index on @keyv/redis', () => {
  it('shares cached entries between two instances, as workers on two machines would', async () => {
    const namespace = `${run}-cache`;
    const a = createRedisCacheIndex(REDIS_URL, { namespace });
    const b = createRedisCacheIndex(REDIS_URL, { namespace });
    await a.set('artifact:abc', { key: 'cache/tts/abc', result: { durationSeconds: 1.5 } }, 60_000);
    expect(await b.get('artifact:abc')).toEqual({ key: 'cache/tts/abc', result: { durationSeconds: 1.5 } });
    await b.delete('artifact:abc');
    expect(await a.get('artifact:abc')).toBeUndefined();
    await Promise.all([a.disconnect(), b.disconnect()]);
  });
});
