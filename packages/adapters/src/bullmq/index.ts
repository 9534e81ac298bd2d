/**
 * The distributed backend: a job store and an event bus on Redis, and a queue on BullMQ, for an
 * engine whose API and workers run in many processes on many machines. Needs the optional peer
 * dependencies `bullmq` and `ioredis`.
 */
export { createRedisJobStore, type RedisJobStoreOptions } from './redis-job-store.js';
export { createRedisTemplateStore, type RedisTemplateStoreOptions } from './redis-template-store.js';
export { createRedisJobEvents, type RedisJobEventsOptions } from './redis-job-events.js';
export { createBullMQQueue, toBullPriority, type BullMQQueueOptions, type BullMQJobQueue } from './bullmq-queue.js';
export { createRedisBackends, type RedisBackendsOptions } from './redis-backends.js';
export {
  createRedisClient,
  redisConnectionFromEnv,
  DEFAULT_REDIS_PREFIX,
  type RedisConnection,
  type RedisClient,
} from './redis-connection.js';
export { createRedisCacheIndex } from './redis-cache-index.js';
