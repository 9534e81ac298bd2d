import EventEmitter from 'eventemitter3';
import type { JobEvent, JobEvents } from '@scriptsensei/core';
import { createRedisClient, DEFAULT_REDIS_PREFIX, type RedisClient, type RedisConnection } from './redis-connection.js';

export interface RedisJobEventsOptions {
  /** Where Redis is. @defaultValue `REDIS_URL`, else redis://127.0.0.1:6379 */
  connection?: RedisConnection;
  /** The channel is `<prefix>:events`. @defaultValue '{scriptsensei}' */
  prefix?: string;
}

/**
 * Job events over Redis pub/sub: every process publishing or subscribing with the same prefix
 * shares one channel. Pub/sub keeps nothing for a disconnected subscriber, so after a reconnect
 * `onResync` listeners are told to read current state from the store (SSE does, and so does
 * `subscribe`), and workers also confirm their job at every heartbeat, so a missed cancel still
 * stops the attempt.
 */
export function createRedisJobEvents(options: RedisJobEventsOptions = {}): JobEvents {
  const connection = options.connection ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const channel = `${options.prefix ?? DEFAULT_REDIS_PREFIX}:events`;
  const publisher: RedisClient = createRedisClient(connection);
  // A subscribed connection can run no other command: a second one, opened on first use.
  let subscriber: RedisClient | undefined;
  const local = new EventEmitter<{ event: [JobEvent]; resync: [] }>();
  let ready: Promise<unknown> | undefined;

  function listen(): Promise<unknown> {
    if (ready) return ready;
    const client = (subscriber = createRedisClient(connection));
    let connectedBefore = false;
    client.on('ready', () => {
      // ioredis subscribes again on reconnect by itself; what was published meanwhile is gone.
      if (connectedBefore) local.emit('resync');
      connectedBefore = true;
    });
    client.on('error', () => undefined);
    client.on('message', (from: string, message: string) => {
      if (from !== channel) return;
      let event: JobEvent;
      try {
        event = JSON.parse(message) as JobEvent;
      } catch {
        return;
      }
      local.emit('event', event);
    });
    ready = client.subscribe(channel);
    return ready;
  }
  publisher.on('error', () => undefined);

  return {
    specificationVersion: 'v1',
    name: 'redis',
    async publish(event) {
      await publisher.publish(channel, JSON.stringify(event));
    },
    subscribe(listener) {
      void listen().catch(() => undefined);
      local.on('event', listener);
      return () => void local.off('event', listener);
    },
    onResync(listener) {
      local.on('resync', listener);
      return () => void local.off('resync', listener);
    },
    async ready() {
      if (ready) await ready;
    },
    async healthCheck() {
      await publisher.ping();
      if (subscriber) await subscriber.ping();
    },
    async close() {
      local.removeAllListeners();
      await Promise.allSettled([publisher.quit(), subscriber?.quit()]);
    },
  };
}
