import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ConfigurationError, JOB_STATUSES, ValidationError, createJobProducer, createPipeline, type JobQueue, type JobStore, type VideoJobs } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides, defaultStorageDirectory } from '@scriptsensei/adapters';
import { DEFAULT_REDIS_PREFIX, createRedisBackends, createRedisClient, redisConnectionFromEnv, type BullMQJobQueue, type RedisConnection } from '@scriptsensei/adapters/bullmq';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import type { CliIO } from './io.js';

interface QueueFlags {
  redisUrl?: string;
  prefix?: string;
  json?: boolean;
}

const HELP = `
Operates on the distributed backend (BullMQ on Redis) that QUEUE=bullmq servers and workers share.
Redis comes from --redis-url, else REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES; the key
prefix from --prefix, else REDIS_PREFIX (default ${DEFAULT_REDIS_PREFIX}).

Examples:
  $ scriptsensei queue status
  $ scriptsensei queue stats --window-hours 1 --json
  $ scriptsensei queue retry-failed
  $ scriptsensei queue purge --yes

Exit codes: 0 done, 1 failed, 2 bad usage (or purge not confirmed), 3 Redis unreachable.
`;

/** Adds `queue status|stats|retry-failed|purge`, the operations the original's Makefile had. */
export function addQueueCommand(program: Command, io: CliIO, done: (code: number) => void): void {
  const queue = program
    .command('queue')
    .description('Inspect and operate the distributed render queue (BullMQ on Redis).')
    .option('--redis-url <url>', 'Redis to use (default: REDIS_URL, or Sentinel/Cluster from the environment)')
    .option('--prefix <prefix>', `key prefix (default: REDIS_PREFIX or ${DEFAULT_REDIS_PREFIX})`)
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', HELP);
  const action =
    <A extends unknown[]>(run: (ops: Operations, flags: QueueFlags, ...args: A) => Promise<unknown>) =>
    async (...args: A) => {
      const flags = queue.opts<QueueFlags>();
      done(await withOperations(flags, io, (ops) => run(ops, flags, ...args)));
    };

  queue
    .command('status')
    .description('Redis reachability, workers seen recently, attempts waiting and running.')
    .action(
      action(async (ops, flags) => {
        const [stats, workers] = await Promise.all([ops.queue.stats(), ops.queue.workers()]);
        if (flags.json) return print(io, { redis: 'reachable', ...stats, workers });
        io.stdout.write(`Redis: reachable\nQueue: ${stats.waiting} waiting, ${stats.running} running\nWorkers seen: ${workers.length}\n`);
        for (const w of workers) io.stdout.write(`  ${w.id}  host ${w.hostname}  pid ${w.pid}  running ${w.running}/${w.concurrency}  seen ${w.seenAt}\n`);
      }),
    );

  queue
    .command('stats')
    .description('Jobs by state, and success rate and render times over a window.')
    .option('--window-hours <hours>', 'window of the summary', '24')
    .action(
      action(async (ops, flags, options: { windowHours: string }) => {
        const hours = Number(options.windowHours);
        if (!(hours > 0)) throw new ValidationError([{ field: '--window-hours', message: `must be a positive number, got "${options.windowHours}"` }]);
        const [counts, summary] = await Promise.all([ops.store.counts(), ops.store.summary({ since: new Date(Date.now() - hours * 3_600_000) })]);
        const finished = summary.counts.success + summary.counts.failure;
        const successRate = finished ? summary.counts.success / finished : null;
        if (flags.json) return print(io, { counts, window_hours: hours, summary: { ...summary, success_rate: successRate } });
        io.stdout.write(`Jobs by state: ${JOB_STATUSES.map((s) => `${s} ${counts[s]}`).join(', ')}\n`);
        const rate = successRate === null ? 'n/a' : `${(successRate * 100).toFixed(1)} %`;
        const { p50, p95, count } = summary.renderSeconds;
        io.stdout.write(`Last ${hours} h: ${summary.total} jobs, success rate ${rate}, render p50 ${p50 ?? 'n/a'} s, p95 ${p95 ?? 'n/a'} s (${count} renders)\n`);
      }),
    );

  queue
    .command('retry-failed')
    .description('Run every failed job again from the start.')
    .action(
      action(async (ops, flags) => {
        const ids = await everyJob(ops.store, 'failure');
        let retried = 0;
        for (const id of ids) retried += (await ops.jobs().retry(id).then(() => 1, () => 0));
        if (flags.json) return print(io, { retried, failed: ids.length });
        io.stdout.write(`Retried ${retried} of ${ids.length} failed jobs.\n`);
      }),
    );

  queue
    .command('purge')
    .description('Cancel every waiting job (pending or retrying) and empty the queue. Running jobs go on. Destructive.')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      action(async (ops, flags, options: { yes?: boolean }) => {
        const ids = [...(await everyJob(ops.store, 'pending')), ...(await everyJob(ops.store, 'retrying'))];
        if (!options.yes && !(await confirm(io, `Cancel ${ids.length} waiting jobs and empty the queue? Type "yes" to go on: `))) {
          throw new ValidationError([{ field: '--yes', message: 'purge was not confirmed (pass --yes when there is no terminal to ask)' }]);
        }
        let cancelled = 0;
        for (const id of ids) cancelled += (await ops.jobs().cancel(id).then(() => 1, () => 0));
        // Entries left over without a waiting job (none, unless something went wrong before).
        await ops.queue.bull.drain(true);
        if (flags.json) return print(io, { cancelled });
        io.stdout.write(`Cancelled ${cancelled} waiting jobs; the queue is empty.\n`);
      }),
    );
}

interface Operations {
  store: JobStore;
  queue: BullMQJobQueue;
  /** The producer, for retry and cancel (they enqueue, remove entries and notify workers). */
  jobs(): VideoJobs;
}

/** Connects (failing fast when Redis is away), runs `task`, closes, and returns the exit code. */
async function withOperations(flags: QueueFlags, io: CliIO, task: (ops: Operations) => Promise<unknown>): Promise<number> {
  const env = io.env ?? process.env;
  const connection: RedisConnection = flags.redisUrl ?? redisConnectionFromEnv(env) ?? 'redis://127.0.0.1:6379';
  const prefix = flags.prefix ?? (env.REDIS_PREFIX || undefined);
  const probe = createRedisClient(connection, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    return report(io, flags, new ConfigurationError(`Redis is unreachable at ${describe(connection)}: ${(error as Error).message}`));
  } finally {
    probe.disconnect();
  }
  const { store, queue, events } = createRedisBackends({ connection, prefix });
  let producer: VideoJobs | undefined;
  const jobs = () => producer!;
  try {
    // Retry and purge go through a producer (it needs a pipeline for its limits and storage).
    producer = await createJobProducer({
      pipeline: createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: env.STORAGE_DIR || defaultStorageDirectory(env) }) }),
      store,
      queue: queue as JobQueue,
      events,
    });
    await task({ store, queue, jobs });
    return EXIT_CODES.ok;
  } catch (error) {
    return report(io, flags, error);
  } finally {
    await (producer ? producer.close() : Promise.allSettled([queue.close(), events.close(), store.close()]));
  }
}

function report(io: CliIO, flags: QueueFlags, error: unknown): number {
  const code = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  if (flags.json) print(io, { error: { code: (error as { code?: string }).code ?? 'ERROR', message } });
  else io.stderr.write(`scriptsensei queue: ${message}\n`);
  return code === EXIT_CODES.interrupted ? EXIT_CODES.failure : code;
}

/** Ids of every job in `status`, page by page. */
async function everyJob(store: JobStore, status: 'failure' | 'pending' | 'retrying'): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page += 1) {
    const batch = await store.list({ status, page, pageSize: 100, order: 'oldest' });
    ids.push(...batch.jobs.map((job) => job.id));
    if (page * 100 >= batch.total || !batch.jobs.length) return ids;
  }
}

/** Asks on the terminal; without one (a pipe, CI) nothing is confirmed. */
async function confirm(io: CliIO, question: string): Promise<boolean> {
  if (!(io.stdin as { isTTY?: boolean }).isTTY) return false;
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function print(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

function describe(connection: RedisConnection): string {
  if (typeof connection === 'string') return connection.replace(/\/\/[^@/]*@/, '//***@');
  return 'cluster' in connection ? 'the Redis Cluster' : connection.sentinels ? 'the Sentinel-managed Redis' : `${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}
