// A render worker: takes attempts from the BullMQ queue in Redis and runs the embedded pipeline.
// Run as many as you like, on any machine that reaches the Redis and the storage:
//   QUEUE=bullmq REDIS_URL=redis://… CONCURRENCY=2 node examples/worker/worker.mjs
// Same environment as the servers (see ../shared/engine.mjs). SIGTERM/SIGINT: stop taking jobs,
// let running ones finish for up to SHUTDOWN_TIMEOUT_MS (default 30000), hand back the rest, exit 0.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createJobWorker } from '@scriptsensei/core';
import { createBackends, createEnvPipeline, envInteger, retentionFromEnv } from '../shared/engine.mjs';

/** Starts a worker; resolves with it and a `close()` that drains it and closes the backends. */
export async function startWorker({ env = process.env, logger = pino({ level: env.LOG_LEVEL ?? 'info' }) } = {}) {
  // A separate worker process only makes sense with a queue other processes share.
  const backends = await createBackends({ ...env, QUEUE: env.QUEUE ?? 'bullmq' });
  if (backends.queueKind !== 'bullmq') throw new Error('A worker process needs QUEUE=bullmq: the in-process queue lives inside the server');
  const { store, queue, events } = backends;
  const concurrency = envInteger(env, 'CONCURRENCY', availableParallelism(), 1);
  const worker = await createJobWorker({ pipeline: createEnvPipeline(backends, env), store, queue, events, concurrency, ...retentionFromEnv(env) });
  // Outcomes only: progress events (many a second) would reach this process for nothing.
  const stopLog = events.subscribe(
    ({ type, job }) => {
      if (job.workerId === worker.id) logger.info({ jobId: job.id, status: job.status, attempts: job.attempts, error: job.error?.code }, `job ${type}`);
    },
    { types: ['succeeded', 'failed', 'retrying', 'cancelled'] },
  );
  worker.on('sweepFailed', (job, error) => logger.warn({ jobId: job?.id, err: error }, 'sweep could not delete'));
  logger.info({ workerId: worker.id, concurrency }, 'ScriptSensei worker started');
  return {
    worker,
    async close(timeoutMs = envInteger(env, 'SHUTDOWN_TIMEOUT_MS', 30_000)) {
      await worker.close({ timeoutMs });
      stopLog();
      await Promise.allSettled([queue.close(), events.close(), store.close()]);
      logger.info({ workerId: worker.id }, 'ScriptSensei worker stopped');
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const running = await startWorker();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void running.close().then(() => process.exit(0), () => process.exit(1)));
  }
}
