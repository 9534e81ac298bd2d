// The named export: with moduleResolution node16 the default one is the module, not the class.
import { EventEmitter } from 'eventemitter3';
import type { JobEvent, JobEventType, JobEvents } from '@scriptsensei/core';

const EVENT_TYPES: readonly JobEventType[] = ['submitted', 'progress', 'retrying', 'succeeded', 'failed', 'cancelled'];
import { createRedisClient, DEFAULT_REDIS_PREFIX, type RedisClient, type RedisConnection } from './redis-connection.js';

export interface RedisJobEventsOptions {
  /** Where Redis is. @defaultValue `REDIS_URL`, else redis://127.0.0.1:6379 */
  connection?: RedisConnection;
  /** Channels are `<prefix>:events:<type>`. @defaultValue '{scriptsensei}' */
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
  // One channel per event type, so a subscriber that wants only cancellations gets only those.
  const channelPrefix = `${options.prefix ?? DEFAULT_REDIS_PREFIX}:events:`;
  const publisher: RedisClient = createRedisClient(connection, { enableAutoPipelining: true });
  publisher.on('error', () => undefined);
  // A subscribed connection can run no other command: a second one, opened on first use.
  let subscriber: RedisClient | undefined;
  const local = new EventEmitter<{ event: [JobEvent]; resync: [] }>();
  const subscribed = new Map<string, Promise<unknown>>();

  function connectSubscriber(): RedisClient {
    if (subscriber) return subscriber;
    const client = (subscriber = createRedisClient(connection));
    let connectedBefore = false;
    client.on('ready', () => {
      // ioredis subscribes again on reconnect by itself; what was published meanwhile is gone.
      if (connectedBefore) local.emit('resync');
      connectedBefore = true;
    });
    client.on('error', () => undefined);
    client.on('message', (channel: string, message: string) => {
      if (!channel.startsWith(channelPrefix)) return;
      let event: JobEvent;
      try {
        event = JSON.parse(message) as JobEvent;
      } catch {
        return;
      }
      local.emit('event', event);
    });
    return client;
  }

  function listen(types: readonly JobEventType[]): void {
    const client = connectSubscriber();
    for (const type of types) {
      const channel = channelPrefix + type;
      if (!subscribed.has(channel)) subscribed.set(channel, client.subscribe(channel).catch(() => undefined));
    }
  }

  return {
    specificationVersion: 'v1',
    name: 'redis',
    async publish(event) {
      await publisher.publish(channelPrefix + event.type, JSON.stringify(event));
    },
    subscribe(listener, { types } = {}) {
      listen(types ?? EVENT_TYPES);
      const filtered = types ? (event: JobEvent) => types.includes(event.type) && listener(event) : listener;
      local.on('event', filtered);
      return () => void local.off('event', filtered);
    },
    onResync(listener) {
      local.on('resync', listener);
      return () => void local.off('resync', listener);
    },
    async ready() {
      await Promise.all(subscribed.values());
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
