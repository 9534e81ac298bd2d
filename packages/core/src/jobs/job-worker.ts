import { randomUUID } from 'node:crypto';
// The named export: with moduleResolution node16 the default one is the module, not the class.
import { EventEmitter } from 'eventemitter3';
import { JOB_ENGINE_DEFAULTS, withDefaults, type JobEngineTuning } from '../defaults.js';
import { CancelledError, ConfigurationError, ScriptSenseiError } from '../errors.js';
import type { LiveStream, Pipeline, RenderResult } from '../pipeline/create-pipeline.js';
import type { ProgressEvent } from '../pipeline/progress.js';
import type { JobEvent, JobEvents } from '../specs/job-events.js';
import type { JobQueue, QueueEntry, QueueWorker } from '../specs/job-queue.js';
import type { JobStore } from '../specs/job-store.js';
import { sweepAbandonedWorkDirs } from '../pipeline/work-dirs.js';
import { EtaEstimator } from './eta.js';
import { isTerminal, type JobError, type JobRecord } from './job-record.js';
import { RETRY_DEFAULTS, retryDelayMs, type RetryPolicy } from './retry-policy.js';

export interface JobWorkerOptions extends Partial<JobEngineTuning> {
  pipeline: Pipeline;
  store: JobStore;
  queue: JobQueue;
  events: JobEvents;
  /** Attempts run at once in this process. */
  concurrency: number;
  retry?: Partial<RetryPolicy>;
  /** Shared with a producer in the same process. @defaultValue a new estimator */
  eta?: EtaEstimator;
}

export interface JobWorkerEvents {
  /** The sweep could not delete a job's video, an orphaned video (`job` undefined) or cached artifacts (`job` undefined). */
  sweepFailed: [JobRecord | undefined, unknown];
}

/** The worker role of the job engine: runs attempts taken from the queue, sweeps, recovers. */
export interface JobWorker extends EventEmitter<JobWorkerEvents> {
  readonly id: string;
  /** The freshest state of a job running here (progress is written to the store at most every `progressWriteIntervalMs`). */
  live(jobId: string): JobRecord | undefined;
  /** Resolves once this process runs no attempt of the job. */
  settled(jobId: string): Promise<void>;
  /**
   * Deletes expired jobs with their videos, videos no job owns that are older than the
   * retention, expired cached artifacts, and render directories of dead processes; with a
   * durable queue, enqueues again jobs whose entry was lost. Returns how many jobs were deleted.
   */
  sweep(): Promise<number>;
  /** Health checks of what attempts need: ffmpeg and the providers. */
  readonly healthChecks: Record<string, (() => unknown) | undefined>;
  /**
   * Stops taking attempts and waits up to `timeoutMs` for running ones; those still running
   * are stopped and handed back (pending again, the attempt not counted) for another worker.
   * The store, queue and event bus it was given stay open: close them after it.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

interface Running {
  runId: string;
  attemptId: string;
  /** Set before the attempt is stopped for a cancel or a lost job, so its end is not taken for a shutdown. */
  stopped: boolean;
  done: Promise<void>;
  job: JobRecord;
  /** When the run last wrote to the store (ms). */
  lastWrite: number;
  /** Writes the live state; a failed compare-and-set means the job is no longer ours. */
  persist(patch: Partial<JobRecord>): void;
}

/**
 * Starts a worker: takes attempts from `queue` (at most `concurrency` at once), runs the
 * pipeline, and records progress and outcome in `store` through compare-and-set on the run's
 * id, so a worker that lost its job (cancelled elsewhere, stalled and taken over) can never
 * overwrite it. Resolves once unfinished jobs are enqueued again (non-durable queues).
 */
export async function createJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const { pipeline, store, queue, events } = options;
  const tuning: JobEngineTuning = withDefaults(JOB_ENGINE_DEFAULTS, options);
  const retry: RetryPolicy = { ...RETRY_DEFAULTS, ...options.retry };
  const sweepIntervalMs = tuning.sweepIntervalMs ?? Math.min(60_000, Math.max(1000, tuning.retentionMs / 4));
  const eta = options.eta ?? new EtaEstimator();
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new ConfigurationError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const emitter = new EventEmitter<JobWorkerEvents>();
  const running = new Map<string, Running>();
  let closing = false;
  const now = () => new Date().toISOString();
  const publish = (type: JobEvent['type'], job: JobRecord) => events.publish({ type, job }).catch(() => undefined);

  // A cancel made by any process reaches the attempt here through the bus.
  const stopEvents = events.subscribe(
    (event) => {
      const active = running.get(event.job.id);
      if (active) stop(active, new CancelledError('Cancelled by request'));
    },
    { types: ['cancelled'] },
  );

  function stop(active: Running, reason: CancelledError): void {
    if (active.stopped) return;
    active.stopped = true;
    queueWorker.abort(active.attemptId, reason);
  }

  async function runAttempt(entry: QueueEntry, signal: AbortSignal): Promise<void> {
    const runId = randomUUID();
    const startedAt = now();
    // Only the job's current attempt may start. A job still `processing` under this attempt
    // was left by a worker that died (a stalled entry given to us, or a restart): that lost
    // attempt stays counted.
    let job = await store.update(
      entry.jobId,
      { status: 'processing', runId, workerId: worker.id, startedAt, progress: 0, stage: 'queued', message: 'Starting', nextAttemptAt: undefined, error: undefined, live: undefined },
      { when: { status: ['pending', 'retrying', 'processing'], attemptId: entry.attemptId }, addAttempts: 1 },
    );
    if (!job) return;
    if (job.attempts > job.maxAttempts) {
      const error: JobError = { code: 'INTERRUPTED', message: 'The worker running the last attempt stopped.', retryable: false };
      const failed = await store.update(
        job.id,
        { status: 'failure', attempts: job.maxAttempts, error, message: error.message, finishedAt: now(), etaSeconds: undefined, runId: undefined },
        { when: { runId } },
      );
      if (failed) await publish('failed', failed);
      return;
    }
    job = { ...job, etaSeconds: eta.estimate(job, Date.now()) };
    let resolveDone!: () => void;
    const jobId = job.id;
    const active: Running = {
      runId,
      attemptId: entry.attemptId,
      stopped: false,
      job,
      done: new Promise<void>((resolve) => (resolveDone = resolve)),
      lastWrite: Date.now(),
      persist(patch) {
        active.lastWrite = Date.now();
        void store.update(jobId, patch, { when: { runId, status: ['processing'] } }).then(
          (saved) => {
            if (!saved) stop(active, new CancelledError('The job was cancelled or taken over'));
          },
          () => undefined,
        );
      },
    };
    running.set(job.id, active);
    await publish('progress', job);

    let lastEvent = 0;
    let lastStage = job.stage;

    const onProgress = (event: ProgressEvent) => {
      const next: JobRecord = { ...active.job, progress: event.progress, stage: event.stage, message: event.message, updatedAt: now() };
      next.etaSeconds = eta.estimate(next, Date.now());
      active.job = next;
      const t = Date.now();
      const stageChanged = event.stage !== lastStage;
      if (stageChanged || t - lastEvent >= tuning.progressEventIntervalMs) {
        lastEvent = t;
        void publish('progress', next);
      }
      if (stageChanged || t - active.lastWrite >= tuning.progressWriteIntervalMs) {
        lastStage = event.stage;
        active.persist({ progress: next.progress, stage: next.stage, message: next.message, etaSeconds: next.etaSeconds });
      }
    };

    // Players can start on the stream before the render ends: stored, and sent to subscribers at once.
    const onLive = (stream: LiveStream) => {
      active.job = { ...active.job, live: stream, updatedAt: now() };
      active.persist({ live: stream });
      void publish('progress', active.job);
    };

    try {
      const result = await pipeline.run(job.request, { signal, onProgress, onLive });
      const done = await store.update(
        job.id,
        // The finished stream is `result.hls`; `live` only describes a render in progress.
        { status: 'success', progress: 1, stage: 'complete', message: 'Video ready', result, finishedAt: now(), etaSeconds: undefined, error: undefined, runId: undefined, live: undefined },
        { when: { runId, status: ['processing'] } },
      );
      if (done) {
        // A producer sharing `eta` records successes from the bus; a lone worker records its own.
        if (!options.eta && done.startedAt && done.finishedAt) eta.record((Date.parse(done.finishedAt) - Date.parse(done.startedAt)) / 1000);
        await publish('succeeded', done);
      } else {
        // Cancelled (or taken over) while the video was being stored: keep no file the job does not own.
        const current = await store.get(job.id).catch(() => undefined);
        if (current?.result?.key !== result.key) await Promise.all(resultKeys(result).map((key) => pipeline.providers.storage.delete(key).catch(() => undefined)));
      }
    } catch (error) {
      if (signal.aborted) {
        // A cancel (the job already says so) or a lost job ends here; a shutdown hands the job back.
        if (!active.stopped) await handBack(job, runId);
        return;
      }
      const failure = toJobError(error);
      if (failure.retryable && job.attempts < job.maxAttempts) {
        const delayMs = retryDelayMs(retry, job.attempts);
        const attemptId = randomUUID();
        const waiting = await store.update(
          job.id,
          {
            status: 'retrying', error: failure, message: `Attempt ${job.attempts} failed; retrying`, etaSeconds: undefined, runId: undefined, live: undefined,
            attemptId, nextAttemptAt: new Date(Date.now() + delayMs).toISOString(),
          },
          { when: { runId, status: ['processing'] } },
        );
        if (!waiting) return;
        await publish('retrying', waiting);
        // A new entry per attempt: the running entry's id is still taken in the queue.
        await queue.enqueue({ jobId: waiting.id, attemptId, priority: waiting.priority }, { delayMs }).catch(() => undefined);
        return;
      }
      const failed = await store.update(
        job.id,
        { status: 'failure', error: failure, message: failure.message, finishedAt: now(), etaSeconds: undefined, runId: undefined, live: undefined },
        { when: { runId, status: ['processing'] } },
      );
      if (failed) await publish('failed', failed);
    } finally {
      if (running.get(job.id) === active) running.delete(job.id);
      resolveDone();
    }
  }

  /** Shutdown is not the job's fault: pending again under a new attempt, the interrupted one not counted. */
  async function handBack(job: JobRecord, runId: string): Promise<void> {
    const attemptId = randomUUID();
    const back = await store
      .update(
        job.id,
        { status: 'pending', progress: 0, stage: 'queued', message: 'Handed back at worker shutdown', runId: undefined, attemptId, etaSeconds: undefined, live: undefined },
        { when: { runId, status: ['processing'] }, addAttempts: -1 },
      )
      .catch(() => undefined);
    if (!back) return;
    await publish('progress', back);
    // A durable queue gives it to another worker now; otherwise the next start-up enqueues it.
    if (queue.durable) await queue.enqueue({ jobId: back.id, attemptId, priority: back.priority }).catch(() => undefined);
  }

  await store.open();
  await events.ready?.();
  const queueWorker: QueueWorker = queue.work(runAttempt, { concurrency: options.concurrency });
  const worker = Object.assign(emitter, { id: queueWorker.id }) as JobWorker;
  if (!queue.durable) await enqueueUnfinished(() => true);
  await sweepAbandonedWorkDirs(pipeline.tuning.tempDir);
  const sweepTimer = setInterval(() => void sweep().catch(() => undefined), sweepIntervalMs);
  sweepTimer.unref();
  // One timer for every running attempt: each confirms it still holds its job when it has
  // written nothing for a while (a missed cancel event, a takeover, stop it within heartbeatMs).
  const heartbeat = setInterval(() => {
    const stale = Date.now() - tuning.heartbeatMs;
    for (const active of running.values()) if (active.lastWrite <= stale) active.persist({});
  }, tuning.heartbeatMs / 2);
  heartbeat.unref();

  /** Enqueues the current attempt of unfinished jobs that `select` picks (enqueuing is idempotent per attempt). */
  async function enqueueUnfinished(select: (job: JobRecord) => boolean): Promise<void> {
    for (const job of (await store.unfinished()).sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      if (!select(job)) continue;
      let attemptId = job.attemptId;
      if (!attemptId) {
        attemptId = randomUUID();
        if (!(await store.update(job.id, { attemptId }, { when: { status: [job.status], absent: ['attemptId'] } }))) continue;
      }
      const delayMs = job.status === 'retrying' && job.nextAttemptAt ? Math.max(0, Date.parse(job.nextAttemptAt) - Date.now()) : 0;
      await queue.enqueue({ jobId: job.id, attemptId, priority: job.priority }, { delayMs });
    }
  }

  let sweeping: Promise<number> | undefined;
  function sweep(): Promise<number> {
    sweeping ??= (async () => {
      let deleted = 0;
      const cutoff = new Date(Date.now() - tuning.retentionMs);
      for (;;) {
        const expired = await store.finishedBefore(cutoff, 200);
        for (const job of expired) {
          // A file storage will not delete must not hold every later job back: the record goes,
          // and the failure is reported so the file can be removed by hand.
          if (job.result) {
            for (const key of resultKeys(job.result)) await pipeline.providers.storage.delete(key).catch((error: unknown) => emitter.emit('sweepFailed', job, error));
          }
          await store.delete(job.id);
          deleted += 1;
        }
        if (expired.length < 200) break;
      }
      // Render directories of a worker killed on this machine (its attempt runs elsewhere now).
      await sweepAbandonedWorkDirs(pipeline.tuning.tempDir);
      await sweepOrphanedVideos(cutoff).catch((error: unknown) => emitter.emit('sweepFailed', undefined, error));
      // Cached narration and images expire on their own clock; failing to sweep them is not fatal.
      await pipeline.cache?.sweep().catch((error: unknown) => emitter.emit('sweepFailed', undefined, error));
      if (queue.durable) {
        const stale = Date.now() - tuning.reconcileAfterMs;
        await enqueueUnfinished((job) => job.status !== 'processing' && Date.parse(job.updatedAt) < stale).catch(() => undefined);
      }
      return deleted;
    })().finally(() => (sweeping = undefined));
    return sweeping;
  }

  /**
   * Files under the pipeline's key prefix older than the retention that no stored job owns
   * (left by a crash between storing a video and recording it, by a lost job store, or by an
   * attempt that died while its live stream grew).
   */
  async function sweepOrphanedVideos(cutoff: Date): Promise<void> {
    const { storage } = pipeline.providers;
    if (!storage.list) return;
    const prefix = pipeline.tuning.keyPrefix;
    for await (const object of storage.list(prefix)) {
      if (!object.lastModified || object.lastModified >= cutoff) continue;
      // Jobs name their files after the video `<prefix><job id>.mp4`: `<prefix><job id>.<ext>`
      // beside it and `<prefix><job id>.hls/…` for the live stream.
      const name = object.key.slice(prefix.length);
      const dot = name.indexOf('.');
      const owner = await store.get(dot < 0 ? name : name.slice(0, dot));
      // An unfinished job may be writing its files right now; a finished one keeps what its result lists.
      if (owner && (!isTerminal(owner.status) || (owner.result && resultKeys(owner.result).includes(object.key)))) continue;
      await storage.delete(object.key).catch((error: unknown) => emitter.emit('sweepFailed', undefined, error));
    }
  }

  async function close({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(sweepTimer);
    await queueWorker.close({ timeoutMs });
    await Promise.allSettled([...running.values()].map((r) => r.done));
    clearInterval(heartbeat);
    stopEvents();
  }

  const { tts, images, storage } = pipeline.providers;
  return Object.assign(worker, {
    live: (jobId: string) => running.get(jobId)?.job,
    settled: async (jobId: string) => {
      await running.get(jobId)?.done;
    },
    sweep,
    healthChecks: {
      ffmpeg: () => pipeline.binaries(),
      tts: tts.healthCheck?.bind(tts),
      images: images.healthCheck?.bind(images),
      storage: storage.healthCheck?.bind(storage),
    },
    close,
  });
}

/** Every storage key a render wrote; records stored before `artifacts` existed name only their video. */
function resultKeys(result: RenderResult): string[] {
  return result.artifacts?.length ? result.artifacts : [result.key];
}

/** The stored form of an attempt's error; anything untyped counts as a transient failure. */
function toJobError(error: unknown): JobError {
  if (ScriptSenseiError.is(error)) {
    const json = error.toJSON() as JobError;
    return { code: json.code, message: json.message, retryable: json.retryable, ...(json.issues ? { issues: json.issues } : {}) };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), retryable: true };
}
