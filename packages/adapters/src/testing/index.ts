/**
 * Helpers for tests of what runs on the adapters' Redis backends (`@scriptsensei/adapters/bullmq`):
 * the Redis to use, a connection that skips the tests loudly when Redis is away (and fails under
 * `CI=true`), cleanup of a test's own keys, and what a test that starts its own Redis needs.
 * Requires ioredis (an optional peer, as for the BullMQ backends).
 */
export { REDIS_URL, connectRedis, deleteKeys, redisServerBinary, freePort, answersPing } from './redis.js';
