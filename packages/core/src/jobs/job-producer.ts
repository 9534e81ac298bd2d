import { randomUUID } from 'node:crypto';
// The named export: with moduleResolution node16 the default one is the module, not the class.
import { EventEmitter } from 'eventemitter3';
import { z } from 'zod';
import { ConflictError, NotFoundError, ScriptSenseiError, ValidationError, type FieldIssue } from '../errors.js';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import { resolveRenderRequest, type RenderRequest } from '../request.js';
import type { JobEvent, JobEvents } from '../specs/job-events.js';
import type { JobQueue } from '../specs/job-queue.js';
import type { JobStore } from '../specs/job-store.js';
import { EtaEstimator } from './eta.js';
import { isTerminal, type JobRecord } from './job-record.js';
import type { HealthReport, JobListener, SubmitOptions, VideoJobEvents, VideoJobs } from './video-jobs.js';

export interface JobProducerOptions {
  /** Validation limits, the video key prefix and the storage videos are served from. */
  pipeline: Pipeline;
  store: JobStore;
  queue: JobQueue;
  events: JobEvents;
  /** Attempts a job gets in all. @defaultValue 3 */
  maxAttempts?: number;
  /** Shared with a worker in the same process. @defaultValue a new estimator */
  eta?: EtaEstimator;
  /** Runs before `close()` returns to the producer's own shutdown (the worker, when there is one). */
  beforeClose?: (timeoutMs: number) => Promise<void>;
  /** Stops the local attempt of a job and resolves once it has stopped (the worker, when there is one). */
  settled?: (jobId: string) => Promise<void>;
  /** Sweeps now (the worker, when there is one). */
  sweep?: () => Promise<number>;
  /** More health checks (the worker's: ffmpeg, providers). */
  extraHealth?: Record<string, (() => unknown) | undefined>;
}

const submitSchema = z.object({
  userId: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  priority: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1-10').max(10, 'must be 1-10').optional(),
  idempotencyKey: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  webhookUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000, 'must be at most 2000 characters')
    .optional(),
  warnings: z.array(z.string()).optional(),
  metadata: z
    .record(z.string().max(100), z.string({ error: 'values must be strings' }).max(500, 'values must be at most 500 characters'))
    .refine((m) => Object.keys(m).length <= 20, 'must have at most 20 entries')
    .optional(),
});

/**
 * The producer role of the job engine: validates and stores jobs, enqueues their attempts, and
 * turns the shared event bus into per-job subscriptions and engine events. It runs no attempt;
 * pair it with `createJobWorker` (in this process or another) or use `createVideoJobs`.
 * Resolves once the store is open and the event subscription is in place.
 */
export async function createJobProducer(options: JobProducerOptions): Promise<VideoJobs> {
  const { pipeline, store, queue, events } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  const eta = options.eta ?? new EtaEstimator();
  const emitter = new EventEmitter<VideoJobEvents>();
  const listeners = new Map<string, Set<JobListener>>();
  let closing = false;

  const now = () => new Date().toISOString();
  const deliver = (job: JobRecord) => {
    for (const listener of listeners.get(job.id) ?? []) safely(() => listener(job));
  };
  const stopEvents = events.subscribe((event) => {
    if (event.type === 'succeeded' && event.job.startedAt && event.job.finishedAt) {
      eta.record((Date.parse(event.job.finishedAt) - Date.parse(event.job.startedAt)) / 1000);
    }
    deliver(event.job);
    // Every bus event type is also an engine event of the same name.
    emitter.emit(event.type, event.job);
  });
  // Events may have been missed (a reconnect): subscribers get the stored state.
  const stopResync = events.onResync(() => {
    for (const id of listeners.keys()) void store.get(id).then((job) => job && deliver(job), () => undefined);
  });
  const publish = (type: JobEvent['type'], job: JobRecord) => events.publish({ type, job }).catch(() => undefined);
  await store.open();
  await events.ready?.();

  async function get(id: string): Promise<JobRecord> {
    const job = typeof id === 'string' ? await store.get(id) : undefined;
    if (!job) throw new NotFoundError(`No job ${JSON.stringify(id)}`);
    return job;
  }

  async function submit(request: RenderRequest, submitOptions: SubmitOptions = {}): Promise<JobRecord> {
    const issues: FieldIssue[] = [];
    let resolved: RenderRequest | undefined;
    try {
      resolved = resolveRenderRequest(request, pipeline.tuning.maxScriptCharacters);
      // The voice check asks the TTS provider; a request it cannot speak is refused now.
      await pipeline.validate(resolved);
    } catch (error) {
      if (!ValidationError.is(error)) throw error;
      issues.push(...error.issues);
    }
    const parsed = submitSchema.safeParse(submitOptions ?? {});
    if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'options', message: i.message })));
    if (!parsed.success || issues.length || !resolved) throw new ValidationError(issues);
    if (closing) throw new ConflictError('The job engine is shutting down');

    const { userId = 'anonymous', priority = 5, idempotencyKey, webhookUrl, warnings, metadata } = parsed.data;
    const at = now();
    const id = randomUUID();
    const job: JobRecord = {
      id,
      userId,
      status: 'pending',
      progress: 0,
      stage: 'queued',
      message: 'Job queued',
      attempts: 0,
      maxAttempts,
      priority,
      // The video's key is derived from the job id, so a stored video can be traced to its job.
      request: { ...resolved, outputKey: resolved.outputKey ?? `${pipeline.tuning.keyPrefix}${id}.mp4` },
      createdAt: at,
      updatedAt: at,
      attemptId: randomUUID(),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(webhookUrl === undefined ? {} : { webhookUrl }),
      ...(warnings?.length ? { warnings } : {}),
      ...(metadata ? { metadata } : {}),
    };
    const etaSeconds = eta.estimate(job, Date.now());
    if (etaSeconds !== undefined) job.etaSeconds = etaSeconds;
    const stored = await store.create(job);
    // The user's earlier submission with this idempotency key.
    if (stored.id !== job.id) return stored;
    // Sent before the entry is, so no subscriber sees an attempt's progress before its job
    // (the in-memory bus delivers within the call); not awaited first, to save a round trip.
    const published = publish('submitted', job);
    await enqueueOrFail(job);
    await published;
    return job;
  }

  /** Enqueues the job's attempt; when the queue is unreachable the job fails (retryable) rather than wait unseen. */
  async function enqueueOrFail(job: JobRecord): Promise<void> {
    try {
      await queue.enqueue({ jobId: job.id, attemptId: job.attemptId!, priority: job.priority });
    } catch (cause) {
      const error = { code: 'QUEUE_UNAVAILABLE', message: `The job could not be queued: ${cause instanceof Error ? cause.message : String(cause)}`, retryable: true };
      const failed = await store.update(job.id, { status: 'failure', error, message: error.message, finishedAt: now() }, { when: { attemptId: job.attemptId! } }).catch(() => undefined);
      if (failed) void publish('failed', failed);
      throw new ScriptSenseiError('CONFIGURATION', error.message, { cause, retryable: true });
    }
  }

  async function cancel(id: string): Promise<JobRecord> {
    const job = await get(id);
    if (isTerminal(job.status)) throw new ConflictError(`Job ${id} is already ${job.status}; only pending, processing or retrying jobs can be cancelled`);
    const cancelled = await store.update(
      id,
      { status: 'cancelled', message: 'Cancelled', finishedAt: now(), etaSeconds: undefined, nextAttemptAt: undefined, runId: undefined, live: undefined },
      { when: { status: ['pending', 'processing', 'retrying'] } },
    );
    if (!cancelled) throw new ConflictError(`Job ${id} finished before it could be cancelled`);
    if (cancelled.attemptId) await queue.remove(cancelled.attemptId).catch(() => false);
    // Workers stop the attempt when they see this event (and, failing that, at their next heartbeat).
    await publish('cancelled', cancelled);
    await options.settled?.(id);
    return cancelled;
  }

  async function retry(id: string): Promise<JobRecord> {
    const job = await get(id);
    if (job.status !== 'failure' && job.status !== 'cancelled') {
      throw new ConflictError(`Job ${id} is ${job.status}; only failed or cancelled jobs can be retried`);
    }
    if (closing) throw new ConflictError('The job engine is shutting down');
    const reset = await store.update(
      id,
      {
        status: 'pending', attempts: 0, progress: 0, stage: 'queued', message: 'Job queued again', attemptId: randomUUID(),
        error: undefined, result: undefined, startedAt: undefined, finishedAt: undefined, nextAttemptAt: undefined,
        runId: undefined, workerId: undefined, notifiedAt: undefined, live: undefined,
      },
      { when: { status: ['failure', 'cancelled'] } },
    );
    if (!reset) throw new ConflictError(`Job ${id} changed while being retried`);
    await publish('submitted', reset);
    await enqueueOrFail(reset);
    return reset;
  }

  async function video(id: string): Promise<{ job: JobRecord; key: string }> {
    const job = await get(id);
    if (job.status !== 'success' || !job.result?.key) throw new NotFoundError(`Job ${id} has no video (it is ${job.status})`);
    return { job, key: job.result.key };
  }

  async function health(): Promise<HealthReport> {
    const checks: HealthReport['checks'] = {};
    const check = async (name: string, probe: (() => unknown) | undefined) => {
      try {
        await probe?.();
        checks[name] = { ok: true };
      } catch (error) {
        checks[name] = { ok: false, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
      }
    };
    let workers: HealthReport['workers'] = [];
    await Promise.all([
      check('store', store.healthCheck?.bind(store)),
      check('queue', queue.healthCheck?.bind(queue)),
      check('events', events.healthCheck?.bind(events)),
      check('workers', async () => {
        workers = await queue.workers();
        if (!workers.length) throw new Error('no worker seen recently: jobs are queued but none will run');
      }),
      ...Object.entries(options.extraHealth ?? {}).map(([name, probe]) => check(name, probe)),
    ]);
    return { ok: Object.values(checks).every((c) => c.ok), checks, workers };
  }

  async function close({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (closing) return;
    closing = true;
    await options.beforeClose?.(timeoutMs);
    stopEvents();
    stopResync();
    await Promise.allSettled([queue.close(), events.close(), store.close()]);
  }

  return Object.assign(emitter, {
    submit,
    get,
    cancel,
    retry,
    list: (query = {}) => store.list(query),
    counts: (userId?: string) => store.counts(userId),
    summary: (query: { since: Date; userId?: string }) => store.summary(query),
    video,
    health,
    async queueStats() {
      const [stats, workers] = await Promise.all([queue.stats(), queue.workers()]);
      return { ...stats, workers };
    },
    subscribe(id: string, listener: JobListener) {
      let set = listeners.get(id);
      if (!set) listeners.set(id, (set = new Set()));
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0 && listeners.get(id) === set) listeners.delete(id);
      };
    },
    async claimNotification(job: JobRecord) {
      const claimed = await store.update(job.id, { notifiedAt: now() }, { when: { status: [job.status], absent: ['notifiedAt'] } });
      return Boolean(claimed);
    },
    sweep: () => options.sweep?.() ?? Promise.resolve(0),
    close,
    storage: pipeline.providers.storage,
    providers: pipeline.providers,
  }) as VideoJobs;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* a listener's bug must not break the engine */
  }
}
