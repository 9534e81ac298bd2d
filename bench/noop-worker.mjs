// A worker process for bench:distributed: the real engine worker and BullMQ backend, with a
// pipeline that renders nothing, so only the engine's and the queue's own costs are measured.
//   REDIS_URL, REDIS_PREFIX, CONCURRENCY
import { createJobWorker } from '@scriptsensei/core';
import { createRedisBackends } from '@scriptsensei/adapters/bullmq';
import { noopPipeline } from './noop-pipeline.mjs';

const backends = createRedisBackends({ connection: process.env.REDIS_URL, prefix: process.env.REDIS_PREFIX });
const worker = await createJobWorker({ pipeline: noopPipeline(), ...backends, concurrency: Number(process.env.CONCURRENCY ?? 8) });
console.log(JSON.stringify({ ready: worker.id }));
process.once('SIGTERM', async () => {
  await worker.close({ timeoutMs: 1000 });
  await Promise.all([backends.queue.close(), backends.events.close(), backends.store.close()]);
  process.exit(0);
});
