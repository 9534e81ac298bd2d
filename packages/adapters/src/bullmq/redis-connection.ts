import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import { ConfigurationError } from '@scriptsensei/core';

/**
 * How to reach Redis: a URL (`redis://`, `rediss://`), ioredis options (Sentinel included:
 * `{ sentinels, name }`), or a Cluster's seed nodes. With Cluster, give every component the
 * same key prefix wrapped in braces (the default `{scriptsensei}` is), so all keys share a slot.
 */
export type RedisConnection = string | RedisOptions | { cluster: ClusterNode[]; options?: ClusterOptions };

export type RedisClient = Redis | Cluster;

/** A new client for `connection`, with `overrides` applied to every node's options. */
export function createRedisClient(connection: RedisConnection, overrides: RedisOptions = {}): RedisClient {
  if (typeof connection === 'string') return new Redis(connection, overrides);
  if ('cluster' in connection) {
    const options = connection.options ?? {};
    return new Cluster(connection.cluster, { ...options, redisOptions: { ...options.redisOptions, ...overrides } });
  }
  return new Redis({ ...connection, ...overrides });
}

/**
 * The connection the environment describes, or undefined when it names none:
 * - `REDIS_CLUSTER_NODES=host:port,host:port` — Redis Cluster;
 * - `REDIS_SENTINELS=host:port,host:port` with `REDIS_SENTINEL_NAME` (default `mymaster`) — Sentinel;
 * - `REDIS_URL` — a single server.
 * `REDIS_PASSWORD` applies to the first two (a URL carries its own).
 */
export function redisConnectionFromEnv(env: Record<string, string | undefined> = process.env): RedisConnection | undefined {
  const password = env.REDIS_PASSWORD || undefined;
  if (env.REDIS_CLUSTER_NODES) {
    return { cluster: hostPorts(env.REDIS_CLUSTER_NODES, 'REDIS_CLUSTER_NODES'), options: { redisOptions: { password } } };
  }
  if (env.REDIS_SENTINELS) {
    return { sentinels: hostPorts(env.REDIS_SENTINELS, 'REDIS_SENTINELS'), name: env.REDIS_SENTINEL_NAME || 'mymaster', password };
  }
  return env.REDIS_URL || undefined;
}

function hostPorts(list: string, name: string): { host: string; port: number }[] {
  return list.split(',').map((item) => {
    const match = /^\s*\[?([^\]\s]+?)\]?:(\d+)\s*$/.exec(item);
    if (!match) throw new ConfigurationError(`${name}: "${item}" is not host:port`);
    return { host: match[1]!, port: Number(match[2]) };
  });
}

/** Where the store, the event bus and the queue keep their keys unless told otherwise. */
export const DEFAULT_REDIS_PREFIX = '{scriptsensei}';
