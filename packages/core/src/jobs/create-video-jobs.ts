import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import EventEmitter from 'eventemitter3';
import { z } from 'zod';
import { CancelledError, ConflictError, NotFoundError, ScriptSenseiError, ValidationError, type FieldIssue } from '../errors.js';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import type { ProgressEvent } from '../pipeline/progress.js';
import { resolveRenderRequest, type RenderRequest } from '../request.js';
import type { JobQueue, QueuedJob } from '../specs/job-queue.js';
import type { StorageProvider } from '../specs/storage-provider.js';
import type { JobListQuery, JobPage, JobStore } from '../specs/job-store.js';
import { EtaEstimator } from './eta.js';
import { isTerminal, type JobError, type JobRecord, type JobStatus } from './job-record.js';
import { createInProcessQueue } from './queues/in-process-queue.js';
import { RETRY_DEFAULTS, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { createKeyvJobStore } from './stores/keyv-job-store.js';

export interface VideoJobsOptions {
  pipeline: Pipeline;
  /** @defaultValue the in-process queue (p-queue) with `concurrency` */
  queue?: JobQueue;
  /** @defaultValue an in-memory Keyv store */
  store?: JobStore;
  /**
   * Renders at once, for the default queue.
   * @defaultValue the number of CPUs
   */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * How long finished jobs (and their videos in storage) are kept.
   * @defaultValue 86400000 (24 h)
   */
  retentionMs?: number;
  /**
   * How often expired jobs are swept.
   * @defaultValue a quarter of `retentionMs`, at most 60 s
   */
  sweepIntervalMs?: number;
  /**
   * Least time between two progress writes of one job to the store (events are not throttled).
   * @defaultValue 250
   */
  progressWriteIntervalMs?: number;
}

export interface SubmitOptions {
  /** @defaultValue 'anonymous' */
  userId?: string;
  /** 1..10, higher runs sooner. @defaultValue 5 */
  priority?: number;
  /** Submitting again with the same key (same user, within retention) returns the first job. */
  idempotencyKey?: string;
  /** Called back when the job finishes (delivered by the HTTP layer). */
  webhookUrl?: string;
  /** Notes stored on the job for the caller. */
  warnings?: string[];
  /** The caller's labels, stored and returned unchanged (at most 20, each value ≤ 500 characters). */
  metadata?: Record<string, string>;
}

export type JobListener = (job: JobRecord) => void;

/** Engine-wide events; each carries the job as it is after the change. */
export interface VideoJobEvents {
  submitted: [JobRecord];
  progress: [JobRecord];
  succeeded: [JobRecord];
  failed: [JobRecord];
  cancelled: [JobRecord];
  retrying: [JobRecord];
  /**
   * The retention sweep could not delete something: a job's video (the job record is removed
   * anyway), or cached artifacts (`job` undefined).
   */
  sweepFailed: [JobRecord | undefined, unknown];
}

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

export interface VideoJobs extends EventEmitter<VideoJobEvents> {
  submit(request: RenderRequest, options?: SubmitOptions): Promise<JobRecord>;
  /** Throws `NotFoundError` for an unknown id. */
  get(id: string): Promise<JobRecord>;
  /** Cancels a waiting or running job; resolves once its work has stopped. `ConflictError` when finished. */
  cancel(id: string): Promise<JobRecord>;
  /** Runs a failed or cancelled job again from the start. `ConflictError` otherwise. */
  retry(id: string): Promise<JobRecord>;
  list(query?: JobListQuery): Promise<JobPage>;
  counts(): Promise<Record<JobStatus, number>>;
  health(): Promise<HealthReport>;
  /** Calls `listener` on every change of one job; returns the unsubscribe function. */
  subscribe(id: string, listener: JobListener): () => void;
  /** Deletes expired jobs and their videos, and expired cached artifacts, now; returns how many jobs were deleted. */
  sweep(): Promise<number>;
  /** Stops taking jobs, waits up to `timeoutMs` for running ones, then stops and re-queues them. */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Where the jobs' videos are stored (the pipeline's storage). */
  readonly storage: StorageProvider;
}

const DAY_MS = 86_400_000;

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
 * The job engine: submit returns at once with a job record; renders run on the queue with
 * retries, priorities, progress, cancellation and retention. Resolves once the store is open
 * and jobs left unfinished by a previous process are queued again.
 */
export async function createVideoJobs(options: VideoJobsOptions): Promise<VideoJobs> {
  const { pipeline } = options;
  const queue = options.queue ?? createInProcessQueue({ concurrency: options.concurrency ?? availableParallelism() });
  const store = options.store ?? createKeyvJobStore();
  const retry: RetryPolicy = { ...RETRY_DEFAULTS, ...options.retry };
  const retentionMs = options.retentionMs ?? DAY_MS;
  const sweepIntervalMs = options.sweepIntervalMs ?? Math.min(60_000, Math.max(1000, retentionMs / 4));
  const writeIntervalMs = options.progressWriteIntervalMs ?? 250;

  const events = new EventEmitter<VideoJobEvents>();
  const listeners = new Map<string, Set<JobListener>>();
  /** Latest state of jobs running here, fresher than the throttled store writes. */
  const live = new Map<string, JobRecord>();
  const attempts = new Map<string, Promise<void>>();
  const idempotent = new Map<string, Promise<JobRecord>>();
  const eta = new EtaEstimator();
  let closing = false;

  const now = () => new Date().toISOString();
  const notify = (event: keyof VideoJobEvents | undefined, job: JobRecord) => {
    for (const listener of listeners.get(job.id) ?? []) safely(() => listener(job));
    if (event) events.emit(event, job);
  };

  async function runAttempt(queued: QueuedJob, signal: AbortSignal): Promise<void> {
    const startedAt = now();
    let job = await store.update(
      queued.id,
      (current) => ({ status: 'processing', attempts: current.attempts + 1, startedAt, progress: 0, stage: 'queued', message: 'Starting', nextAttemptAt: undefined }),
      ['pending', 'retrying'],
    );
    if (!job) return;
    job = { ...job, etaSeconds: eta.estimate(job, Date.now()) };
    live.set(job.id, job);
    notify('progress', job);

    let lastWrite = 0;
    let lastStage = job.stage;
    const onProgress = (event: ProgressEvent) => {
      const previous = live.get(queued.id);
      if (!previous) return;
      const next: JobRecord = { ...previous, progress: event.progress, stage: event.stage, message: event.message, updatedAt: now() };
      next.etaSeconds = eta.estimate(next, Date.now());
      live.set(queued.id, next);
      notify('progress', next);
      const t = Date.now();
      if (t - lastWrite >= writeIntervalMs || event.stage !== lastStage) {
        lastWrite = t;
        lastStage = event.stage;
        void store
          .update(queued.id, { progress: next.progress, stage: next.stage, message: next.message, etaSeconds: next.etaSeconds }, ['processing'])
          .catch(() => undefined);
      }
    };

    try {
      const result = await pipeline.run(job.request, { signal, onProgress });
      live.delete(queued.id);
      const done = await store.update(
        queued.id,
        { status: 'success', progress: 1, stage: 'complete', message: 'Video ready', result, finishedAt: now(), etaSeconds: undefined, error: undefined },
        ['processing'],
      );
      if (!done) {
        // Cancelled while the video was being stored: the job says cancelled, so no video stays.
        await pipeline.providers.storage.delete(result.key).catch(() => undefined);
        return;
      }
      eta.record((Date.parse(done.finishedAt!) - Date.parse(startedAt)) / 1000);
      notify('succeeded', done);
    } catch (error) {
      live.delete(queued.id);
      // Whoever aborted (cancel or shutdown) has already set the job's status.
      if (signal.aborted) return;
      const failure = toJobError(error);
      if (failure.retryable && job.attempts < job.maxAttempts) {
        const delayMs = retryDelayMs(retry, job.attempts);
        const waiting = await store.update(
          queued.id,
          { status: 'retrying', error: failure, message: `Attempt ${job.attempts} failed; retrying`, etaSeconds: undefined, nextAttemptAt: new Date(Date.now() + delayMs).toISOString() },
          ['processing'],
        );
        if (!waiting) return;
        notify('retrying', waiting);
        await queue.enqueue({ id: waiting.id, priority: waiting.priority }, { delayMs });
        return;
      }
      const failed = await store.update(
        queued.id,
        { status: 'failure', error: failure, message: failure.message, finishedAt: now(), etaSeconds: undefined },
        ['processing'],
      );
      if (failed) notify('failed', failed);
    }
  }

  queue.process((queued, signal) => {
    const attempt = runAttempt(queued, signal).finally(() => attempts.delete(queued.id));
    attempts.set(queued.id, attempt);
    return attempt;
  });

  await store.open();
  await recoverUnfinished();
  const sweepTimer = setInterval(() => void sweep().catch(() => undefined), sweepIntervalMs);
  sweepTimer.unref();

  /** Jobs a previous process left unfinished are queued again; a lost attempt counts as used. */
  async function recoverUnfinished(): Promise<void> {
    for (const job of (await store.unfinished()).sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      if (job.status === 'processing' && job.attempts >= job.maxAttempts) {
        const error: JobError = { code: 'INTERRUPTED', message: 'The process running the last attempt stopped.', retryable: false };
        await store.update(job.id, { status: 'failure', error, message: error.message, finishedAt: now() }, ['processing']);
        continue;
      }
      if (job.status === 'processing') {
        await store.update(job.id, { status: 'pending', progress: 0, stage: 'queued', message: 'Re-queued after a restart' }, ['processing']);
      }
      const delayMs = job.nextAttemptAt ? Math.max(0, Date.parse(job.nextAttemptAt) - Date.now()) : 0;
      await queue.enqueue({ id: job.id, priority: job.priority }, { delayMs });
    }
  }

  async function get(id: string): Promise<JobRecord> {
    const job = live.get(id) ?? (typeof id === 'string' ? await store.get(id) : undefined);
    if (!job) throw new NotFoundError(`No job ${JSON.stringify(id)}`);
    return job;
  }

  async function submit(request: RenderRequest, submitOptions: SubmitOptions = {}): Promise<JobRecord> {
    const issues: FieldIssue[] = [];
    let resolved: RenderRequest | undefined;
    try {
      resolved = resolveRenderRequest(request, pipeline.tuning.maxScriptCharacters);
    } catch (error) {
      if (!ValidationError.is(error)) throw error;
      issues.push(...error.issues);
    }
    const parsed = submitSchema.safeParse(submitOptions ?? {});
    if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'options', message: i.message })));
    if (!parsed.success || issues.length || !resolved) throw new ValidationError(issues);
    if (closing) throw new ConflictError('The job engine is shutting down');

    const { userId = 'anonymous', priority = 5, idempotencyKey } = parsed.data;
    const extras = { webhookUrl: parsed.data.webhookUrl, warnings: parsed.data.warnings, metadata: parsed.data.metadata };
    if (idempotencyKey === undefined) return create(resolved, userId, priority, undefined, extras);
    // One submission per key at a time, so two concurrent retries of one request make one job.
    const slot = `${userId}\u0000${idempotencyKey}`;
    const inFlight = idempotent.get(slot);
    if (inFlight) return inFlight;
    const attempt = (async () => {
      const existing = await store.findByIdempotencyKey(userId, idempotencyKey);
      return existing ?? create(resolved, userId, priority, idempotencyKey, extras);
    })().finally(() => idempotent.delete(slot));
    idempotent.set(slot, attempt);
    return attempt;
  }

  async function create(
    request: RenderRequest,
    userId: string,
    priority: number,
    idempotencyKey: string | undefined,
    extras: Pick<JobRecord, 'webhookUrl' | 'warnings' | 'metadata'>,
  ): Promise<JobRecord> {
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
      maxAttempts: retry.maxAttempts,
      priority,
      // The video's key is derived from the job id, so a download can be traced to its job.
      request: { ...request, outputKey: request.outputKey ?? `${pipeline.tuning.keyPrefix}${id}.mp4` },
      createdAt: at,
      updatedAt: at,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(extras.webhookUrl === undefined ? {} : { webhookUrl: extras.webhookUrl }),
      ...(extras.warnings?.length ? { warnings: extras.warnings } : {}),
      ...(extras.metadata ? { metadata: extras.metadata } : {}),
    };
    const etaSeconds = eta.estimate(job, Date.now());
    if (etaSeconds !== undefined) job.etaSeconds = etaSeconds;
    await store.create(job);
    await queue.enqueue({ id: job.id, priority });
    notify('submitted', job);
    return job;
  }

  async function cancel(id: string): Promise<JobRecord> {
    const job = await get(id);
    if (isTerminal(job.status)) throw new ConflictError(`Job ${id} is already ${job.status}; only pending, processing or retrying jobs can be cancelled`);
    const cancelled = await store.update(
      id,
      { status: 'cancelled', message: 'Cancelled', finishedAt: now(), etaSeconds: undefined, nextAttemptAt: undefined },
      ['pending', 'processing', 'retrying'],
    );
    if (!cancelled) throw new ConflictError(`Job ${id} finished before it could be cancelled`);
    live.delete(id);
    await queue.cancel(id, new CancelledError('Cancelled by request'));
    await attempts.get(id);
    notify('cancelled', cancelled);
    return cancelled;
  }

  async function retryJob(id: string): Promise<JobRecord> {
    const job = await get(id);
    if (job.status !== 'failure' && job.status !== 'cancelled') {
      throw new ConflictError(`Job ${id} is ${job.status}; only failed or cancelled jobs can be retried`);
    }
    if (closing) throw new ConflictError('The job engine is shutting down');
    const reset = await store.update(
      id,
      {
        status: 'pending', attempts: 0, progress: 0, stage: 'queued', message: 'Job queued again',
        error: undefined, result: undefined, startedAt: undefined, finishedAt: undefined, nextAttemptAt: undefined,
      },
      ['failure', 'cancelled'],
    );
    if (!reset) throw new ConflictError(`Job ${id} changed while being retried`);
    await queue.enqueue({ id, priority: reset.priority });
    notify('submitted', reset);
    return reset;
  }

  let sweeping: Promise<number> | undefined;
  function sweep(): Promise<number> {
    sweeping ??= (async () => {
      let deleted = 0;
      const cutoff = new Date(Date.now() - retentionMs);
      for (;;) {
        const expired = await store.finishedBefore(cutoff, 200);
        for (const job of expired) {
          // A video storage will not delete must not hold every later job back: the record goes,
          // and the failure is reported so the video can be removed by hand.
          if (job.result?.key) await pipeline.providers.storage.delete(job.result.key).catch((error: unknown) => events.emit('sweepFailed', job, error));
          await store.delete(job.id);
          listeners.delete(job.id);
          deleted += 1;
        }
        if (expired.length < 200) break;
      }
      // Cached narration and images expire on their own clock; failing to sweep them is not fatal.
      await pipeline.cache?.sweep().catch((error: unknown) => events.emit('sweepFailed', undefined, error));
      return deleted;
    })().finally(() => (sweeping = undefined));
    return sweeping;
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
    const { tts, images, storage } = pipeline.providers;
    await Promise.all([
      check('store', store.healthCheck?.bind(store)),
      check('queue', queue.healthCheck?.bind(queue)),
      check('ffmpeg', () => pipeline.binaries()),
      check('tts', tts.healthCheck?.bind(tts)),
      check('images', images.healthCheck?.bind(images)),
      check('storage', storage.healthCheck?.bind(storage)),
    ]);
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  }

  async function close({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(sweepTimer);
    const stopped = await queue.close({ timeoutMs });
    for (const id of stopped) {
      live.delete(id);
      // Shutdown is not the job's fault: the interrupted attempt is not counted.
      await store.update(
        id,
        (job) => ({ status: 'pending', progress: 0, stage: 'queued', message: 'Re-queued after shutdown', attempts: Math.max(0, job.attempts - 1) }),
        ['processing'],
      );
    }
    await Promise.allSettled([...attempts.values()]);
    await store.close();
  }

  return Object.assign(events, {
    submit,
    get,
    cancel,
    retry: retryJob,
    list: async (query?: JobListQuery) => {
      const page = await store.list(query);
      return { ...page, jobs: page.jobs.map((job) => live.get(job.id) ?? job) };
    },
    counts: () => store.counts(),
    health,
    subscribe(id: string, listener: JobListener) {
      let set = listeners.get(id);
      if (!set) listeners.set(id, (set = new Set()));
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0 && listeners.get(id) === set) listeners.delete(id);
      };
    },
    sweep,
    close,
    storage: pipeline.providers.storage,
  }) as VideoJobs;
}

/** The stored form of an attempt's error; anything untyped counts as a transient failure. */
function toJobError(error: unknown): JobError {
  if (ScriptSenseiError.is(error)) {
    const json = error.toJSON() as JobError;
    return { code: json.code, message: json.message, retryable: json.retryable, ...(json.issues ? { issues: json.issues } : {}) };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), retryable: true };
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* a listener's bug must not break the engine */
  }
}

