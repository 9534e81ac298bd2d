import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoJobs, type VideoJobs } from '@scriptsensei/core';
import { createJobsApi } from '@scriptsensei/adapters/http';
import { createFakePipeline } from '@scriptsensei/core/testing';
import { connectRedis } from '@scriptsensei/adapters/testing';

const redis = await connectRedis();

describe.skipIf(!redis)('rate limit shared through Redis by several servers', () => {
  const prefix = `scriptsensei-test-${randomUUID()}`;
  const engines: VideoJobs[] = [];
  const apis: ReturnType<typeof createJobsApi>[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const jobs = await createVideoJobs({ pipeline: createFakePipeline().pipeline });
      engines.push(jobs);
      // Each server has its own limiter object; the budget lives in Redis.
      const limiter = new RateLimiterRedis({ storeClient: redis as Redis, keyPrefix: prefix, points: 3, duration: 60 });
      apis.push(createJobsApi(jobs, { rateLimit: { limiter }, auth: { apiKeys: { 'key-carol': 'carol', 'key-dave': 'dave' } } }));
    }
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    const keys = await redis!.keys(`${prefix}*`);
    if (keys.length) await redis!.del(...keys);
    redis!.disconnect();
  });

  const create = (api: (typeof apis)[number], user: string) =>
    api.fetch(
      new Request('http://api.test/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer key-${user}` },
        body: JSON.stringify({ video_request: { script_content: 'Hi.' } }),
      }),
    );

  it('counts one budget per user across servers', async () => {
    const statuses = [];
    for (const api of [apis[0]!, apis[1]!, apis[0]!, apis[1]!]) statuses.push((await create(api, 'carol')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await create(apis[0]!, 'dave')).status).toBe(202);
  });
});
