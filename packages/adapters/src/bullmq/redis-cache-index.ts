import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import type { RedisConnection } from './redis-connection.js';

/**
 * A Keyv on Redis (`@keyv/redis`) for the artifact cache's index, so every worker finds the
 * narration and images any of them made: `createPipeline({ cache: { keyv } })`. Takes the same
 * connection forms as the rest of the backend.
 */
export function createRedisCacheIndex(connection: RedisConnection, options: { namespace?: string } = {}): Keyv {
  return new Keyv({ store: new KeyvRedis(toNodeRedis(connection)), namespace: options.namespace ?? 'scriptsensei-cache', useKeyPrefix: false });
}

/** Our connection forms (ioredis-shaped) in the shape `@keyv/redis` (node-redis) takes. */
function toNodeRedis(connection: RedisConnection): ConstructorParameters<typeof KeyvRedis>[0] {
  if (typeof connection === 'string') return connection;
  if ('cluster' in connection) {
    const password = connection.options?.redisOptions?.password;
    return { rootNodes: connection.cluster.map((node) => ({ url: typeof node === 'object' ? `redis://${node.host ?? '127.0.0.1'}:${node.port ?? 6379}` : `redis://${String(node)}` })), defaults: { password } };
  }
  if (connection.sentinels?.length) {
    return {
      name: connection.name ?? 'mymaster',
      sentinelRootNodes: connection.sentinels.map((s) => ({ host: s.host ?? '127.0.0.1', port: s.port ?? 26379 })),
      nodeClientOptions: { password: connection.password },
    };
  }
  const { host = '127.0.0.1', port = 6379, password, db = 0 } = connection;
  return { socket: { host, port }, password, database: db };
}
