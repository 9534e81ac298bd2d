import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis tests use: `REDIS_URL` from the environment, or `redis://127.0.0.1:6379`. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether unavailable test services fail the run (`CI=true`) instead of skipping tests loudly. */
const required = () => process.env.CI === 'true';

/**
 * A connected client of the Redis at `url` (default {@link REDIS_URL}), or undefined when it is
 * unreachable. Tests that need Redis skip then (`describe.skipIf(!redis)`), loudly: a warning
 * says so. Under `CI=true` an unreachable Redis is a failure instead: this throws.
 */
export async function connectRedis(url: string = REDIS_URL): Promise<Redis | undefined> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    if (required()) throw new Error(`Redis at ${url} is unreachable, and CI requires it: ${(error as Error).message}`);
    console.warn(`\n*** Redis at ${url} is unreachable: Redis-backed tests are SKIPPED ***\n`);
    return undefined;
  }
}

/**
 * Deletes every key starting with `prefix` (a test's own keys, after it), scanning rather than
 * blocking the server with KEYS. Glob characters in `prefix` are matched literally.
 */
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
 * one); undefined when it is not on PATH, with a warning that the test named by `purpose` is
 * skipped. Under `CI=true` a missing binary is a failure instead: this throws.
 */
export function redisServerBinary(purpose: string): string | undefined {
  try {
    return execFileSync('which', ['redis-server']).toString().trim();
  } catch {
    if (required()) throw new Error(`redis-server is not on PATH, and CI requires it for ${purpose}`);
    console.warn(`\n*** redis-server is not on PATH: ${purpose} is SKIPPED ***\n`);
    return undefined;
  }
}

/** A TCP port on 127.0.0.1 that nobody listens on right now (for a server a test starts). */
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

/** Whether a Redis answers PING at `url`, trying once, without retrying or logging. */
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
