import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { ConfigurationError, type JobQueue, type QueueEntry, type QueueWorker, type WorkerInfo } from '@scriptsensei/core';
import { createRedisClient, DEFAULT_REDIS_PREFIX, type RedisClient, type RedisConnection } from './redis-connection.js';

export interface BullMQQueueOptions {
  /** Where Redis is. @defaultValue `REDIS_URL`, else redis://127.0.0.1:6379 */
  connection?: RedisConnection;
  /** BullMQ's key prefix. @defaultValue '{scriptsensei}' */
  prefix?: string;
  /** @defaultValue 'renders' */
  queueName?: string;
  /**
   * How long a worker's lock on a running attempt lasts; BullMQ renews it at half this while the
   * attempt runs, so a slow render is never declared stalled, and a dead worker's attempt is
   * given to another worker after about this long.
   * @defaultValue 30000
   */
  lockDurationMs?: number;
  /** How often workers look for stalled attempts. @defaultValue 15000 */
  stalledIntervalMs?: number;
  /** How often a worker writes its heartbeat. @defaultValue 5000 */
  heartbeatMs?: number;
}

/** The BullMQ queue, for tools that speak BullMQ (Bull Board, the CLI's queue commands). */
export interface BullMQJobQueue extends JobQueue {
  readonly bull: Queue;
}

interface EntryData {
  jobId: string;
  priority: number;
}

/** BullMQ priorities run lowest first (1 is the highest); ours run highest first (10 is the highest). */
export const toBullPriority = (priority: number) => 11 - priority;

/**
 * The distributed queue: attempts are BullMQ jobs (job id = attempt id) that any worker process
 * sharing the Redis runs. BullMQ renews the lock of a running attempt and gives a dead worker's
 * attempts to another worker; entries are removed as soon as they finish. Retries and backoff stay
 * the engine's (a new entry per attempt), so both backends follow one policy. Workers write
 * heartbeats, which `workers()` reads.
 */
export function createBullMQQueue(options: BullMQQueueOptions = {}): BullMQJobQueue {
  const connection = options.connection ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const queueName = options.queueName ?? 'renders';
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const workersKey = `${prefix}:${queueName}:ss-workers`;
  // Producers fail fast while Redis is away (the caller gets an error); workers wait for it.
  const client: RedisClient = createRedisClient(connection, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  client.on('error', () => undefined);
  const queue = new Queue<EntryData>(queueName, { connection: client, prefix });
  queue.on('error', () => undefined);
  let worker: QueueWorker | undefined;

  return {
    specificationVersion: 'v2',
    name: 'bullmq',
    durable: true,
    bull: queue as Queue,
    async enqueue(entry, { delayMs = 0 } = {}) {
      // An existing job id makes BullMQ ignore the add: enqueuing an attempt twice is a no-op.
      await queue.add(
        'render',
        { jobId: entry.jobId, priority: entry.priority },
        { jobId: entry.attemptId, priority: toBullPriority(entry.priority), delay: Math.max(0, delayMs), removeOnComplete: true, removeOnFail: true },
      );
    },
    async remove(attemptId) {
      const job = await queue.getJob(attemptId);
      if (!job) return false;
      const state = await job.getState();
      if (state !== 'waiting' && state !== 'prioritized' && state !== 'delayed') return false;
      // Removal refuses a job a worker has just locked: then it is running, not waiting.
      return (await queue.remove(attemptId).catch(() => 0)) === 1;
    },
    work(handler, { concurrency }) {
      if (worker) throw new ConfigurationError('The queue already has a worker');
      const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
      const running = new Set<string>();
      const workerClient = createRedisClient(connection, { maxRetriesPerRequest: null });
      workerClient.on('error', () => undefined);
      const bull = new Worker<EntryData>(
        queueName,
        async (job: Job<EntryData>, _token?: string, signal?: AbortSignal) => {
          const entry: QueueEntry = { jobId: job.data.jobId, attemptId: job.id!, priority: job.data.priority };
          running.add(entry.attemptId);
          try {
            await handler(entry, signal ?? new AbortController().signal);
          } finally {
            running.delete(entry.attemptId);
          }
        },
        {
          connection: workerClient,
          prefix,
          concurrency,
          lockDuration: options.lockDurationMs ?? 30_000,
          stalledInterval: options.stalledIntervalMs ?? 15_000,
          // The engine counts attempts (a stalled one included) and fails the job past its limit;
          // BullMQ must keep handing a stalled attempt back rather than fail it on its own.
          maxStalledCount: 1_000_000,
          name: id,
        },
      );
      // Without a listener an 'error' event would throw; reconnecting is ioredis's job.
      bull.on('error', () => undefined);

      const info = (): WorkerInfo => ({ id, hostname: hostname(), pid: process.pid, concurrency, running: running.size, seenAt: new Date().toISOString() });
      const beat = () =>
        client
          .multi()
          .zadd(workersKey, Date.now(), id)
          .hset(`${workersKey}:info`, id, JSON.stringify(info()))
          .exec()
          .catch(() => undefined);
      void beat();
      const timer = setInterval(beat, heartbeatMs);
      timer.unref();

      worker = {
        id,
        concurrency,
        running: () => [...running],
        abort(attemptId, reason) {
          // BullMQ passes the reason on as the signal's reason, as a string.
          return running.has(attemptId) && bull.cancelJob(attemptId, reason instanceof Error ? reason.message : String(reason ?? 'Cancelled'));
        },
        async close({ timeoutMs = 30_000 } = {}) {
          clearInterval(timer);
          const closing = bull.close();
          let wait: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((resolve) => (wait = setTimeout(() => resolve(true), timeoutMs)))]);
          clearTimeout(wait);
          const aborted = timedOut ? [...running] : [];
          if (timedOut) bull.cancelAllJobs('The worker is shutting down');
          await closing;
          await client.multi().zrem(workersKey, id).hdel(`${workersKey}:info`, id).exec().catch(() => undefined);
          await workerClient.quit().catch(() => workerClient.disconnect());
          return aborted;
        },
      };
      return worker;
    },
    async stats() {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
      return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0), running: counts.active ?? 0 };
    },
    async workers() {
      const since = Date.now() - 3 * heartbeatMs;
      const [ids, gone] = await Promise.all([client.zrangebyscore(workersKey, since, '+inf'), client.zrangebyscore(workersKey, '-inf', `(${since}`)]);
      // Workers that stopped beating (killed) are forgotten here.
      if (gone.length) await client.multi().zrem(workersKey, ...gone).hdel(`${workersKey}:info`, ...gone).exec();
      if (!ids.length) return [];
      const infos = await client.hmget(`${workersKey}:info`, ...ids);
      return infos.filter((raw): raw is string => Boolean(raw)).map((raw) => JSON.parse(raw) as WorkerInfo);
    },
    async healthCheck() {
      await client.ping();
    },
    async close() {
      await queue.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
