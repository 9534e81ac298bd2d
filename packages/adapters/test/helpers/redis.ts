import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A connected client, or undefined when Redis is unreachable. Tests that need Redis skip then,
 * loudly, except under CI=true, where an unreachable Redis is a failure.
 */
export async function connectRedis(): Promise<Redis | undefined> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    if (process.env.CI === 'true') throw new Error(`Redis at ${REDIS_URL} is unreachable, and CI requires it: ${(error as Error).message}`);
    console.warn(`\n*** Redis at ${REDIS_URL} is unreachable: Redis-backed tests are SKIPPED ***\n`);
    return undefined;
  }
}

/** Deletes every key starting with `prefix` (a test's own keys, after it). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await client.del(...keys);
  } while (cursor !== '0');
}

/**
 * The `redis-server` binary, for tests that start a Redis of their own (never touching the shared
 * one); undefined, loudly, when it is missing, except under CI=true, where that is a failure.
 */
export function redisServerBinary(purpose: string): string | undefined {
  try {
    return execFileSync('which', ['redis-server']).toString().trim();
  } catch {
    if (process.env.CI === 'true') throw new Error(`redis-server is not on PATH, and CI requires it for ${purpose}`);
    console.warn(`\n*** redis-server is not on PATH: ${purpose} is SKIPPED ***\n`);
    return undefined;
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether a Redis answers PING at `url`, without retrying. */
export async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
