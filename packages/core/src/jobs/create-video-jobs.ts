import { availableParallelism } from 'node:os';
import type { JobEngineTuning } from '../defaults.js';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import type { JobEvents } from '../specs/job-events.js';
import type { JobQueue } from '../specs/job-queue.js';
import type { JobStore } from '../specs/job-store.js';
import { EtaEstimator } from './eta.js';
import { createInMemoryJobEvents } from './events/in-memory-events.js';
import { createJobProducer } from './job-producer.js';
import { createJobWorker, type JobWorker } from './job-worker.js';
import { createInProcessQueue } from './queues/in-process-queue.js';
import { RETRY_DEFAULTS, type RetryPolicy } from './retry-policy.js';
import { createKeyvJobStore } from './stores/keyv-job-store.js';
import type { VideoJobs } from './video-jobs.js';

export interface VideoJobsOptions extends Partial<JobEngineTuning> {
  pipeline: Pipeline;
  /** @defaultValue the in-process queue (p-queue) */
  queue?: JobQueue;
  /** @defaultValue an in-memory Keyv store */
  store?: JobStore;
  /** @defaultValue the in-memory event bus (one process) */
  events?: JobEvents;
  /**
   * Attempts this process runs at once. `0` makes an API-only process: it submits, lists and
   * cancels, and workers elsewhere (`createJobWorker`, `pnpm worker`) run the attempts.
   * @defaultValue the number of CPUs
   */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
}

/**
 * The job engine: submit returns at once with a job record; renders run on the queue with
 * retries, priorities, progress, cancellation and retention. A producer and, unless
 * `concurrency` is 0, a worker in this process over the same backends. Resolves once the store
 * is open and (with a non-durable queue) unfinished jobs are queued again.
 */
export async function createVideoJobs(options: VideoJobsOptions): Promise<VideoJobs & { readonly worker?: JobWorker }> {
  const { pipeline, retry, ...tuning } = options;
  const store = options.store ?? createKeyvJobStore();
  const queue = options.queue ?? createInProcessQueue();
  const events = options.events ?? createInMemoryJobEvents();
  const concurrency = options.concurrency ?? availableParallelism();
  const eta = new EtaEstimator();
  const maxAttempts = { ...RETRY_DEFAULTS, ...retry }.maxAttempts;

  const worker = concurrency > 0 ? await createJobWorker({ ...tuning, pipeline, store, queue, events, concurrency, retry, eta }) : undefined;
  const producer = await createJobProducer({
    pipeline,
    store,
    queue,
    events,
    maxAttempts,
    eta,
    ...(worker && {
      beforeClose: (timeoutMs: number) => worker.close({ timeoutMs }),
      settled: (jobId: string) => worker.settled(jobId),
      sweep: () => worker.sweep(),
      extraHealth: worker.healthChecks,
    }),
  });
  // The worker's live state is fresher than the throttled store writes.
  if (worker) {
    const fromStore = producer.get;
    producer.get = async (id: string) => worker.live(id) ?? fromStore(id);
    worker.on('sweepFailed', (job, error) => producer.emit('sweepFailed', job, error));
  }
  return Object.assign(producer, { worker });
}
