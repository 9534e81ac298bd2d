import type { JobEvents, JobStore } from '@scriptsensei/core';
import { createBullMQQueue, type BullMQJobQueue, type BullMQQueueOptions } from './bullmq-queue.js';
import { DEFAULT_REDIS_PREFIX, type RedisConnection } from './redis-connection.js';
import { createRedisJobEvents } from './redis-job-events.js';
import { createRedisJobStore } from './redis-job-store.js';

export interface RedisBackendsOptions extends Omit<BullMQQueueOptions, 'connection' | 'prefix'> {
  /** @defaultValue `REDIS_URL`, else redis://127.0.0.1:6379 */
  connection?: RedisConnection;
  /** One prefix for the store, the bus and the queue. @defaultValue '{scriptsensei}' */
  prefix?: string;
}

/**
 * The three backends an engine needs, over one Redis: pass them to `createVideoJobs` (API
 * processes, with `concurrency: 0` for API-only) and to `createJobWorker` (worker processes).
 */
export function createRedisBackends(options: RedisBackendsOptions = {}): { store: JobStore; queue: BullMQJobQueue; events: JobEvents } {
  const connection = options.connection ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  return {
    store: createRedisJobStore({ connection, prefix }),
    queue: createBullMQQueue({ ...options, connection, prefix }),
    events: createRedisJobEvents({ connection, prefix }),
  };
}
