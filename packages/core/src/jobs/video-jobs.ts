// The named export: with moduleResolution node16 the default one is the module, not the class.
import type { EventEmitter } from 'eventemitter3';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import type { RenderRequest } from '../request.js';
import type { JobListQuery, JobPage, JobSummary } from '../specs/job-store.js';
import type { StorageProvider } from '../specs/storage-provider.js';
import type { QueueStats, WorkerInfo } from '../specs/job-queue.js';
import type { JobRecord, JobStatus } from './job-record.js';

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

/** Engine events, from every process sharing the backends; each carries the job after the change. */
export interface VideoJobEvents {
  submitted: [JobRecord];
  progress: [JobRecord];
  succeeded: [JobRecord];
  failed: [JobRecord];
  cancelled: [JobRecord];
  retrying: [JobRecord];
  /**
   * A worker's retention sweep could not delete something: a job's video (the job record is
   * removed anyway), an orphaned video, or cached artifacts (`job` undefined for the last two).
   */
  sweepFailed: [JobRecord | undefined, unknown];
}

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
  /** Workers seen recently (heartbeats), this process's included. */
  workers: WorkerInfo[];
}

/**
 * The producer's side of the job engine, what an API process needs: submit, read, list, cancel,
 * retry, watch. Attempts run on workers, in this process or others.
 */
export interface VideoJobs extends EventEmitter<VideoJobEvents> {
  submit(request: RenderRequest, options?: SubmitOptions): Promise<JobRecord>;
  /** Throws `NotFoundError` for an unknown id. */
  get(id: string): Promise<JobRecord>;
  /**
   * Cancels a waiting or running job; `ConflictError` when finished. The attempt running it
   * stops wherever it runs; when it runs in this process, this resolves once it has stopped.
   */
  cancel(id: string): Promise<JobRecord>;
  /** Runs a failed or cancelled job again from the start. `ConflictError` otherwise. */
  retry(id: string): Promise<JobRecord>;
  list(query?: JobListQuery): Promise<JobPage>;
  /** Jobs by status: everyone's, or one user's. */
  counts(userId?: string): Promise<Record<JobStatus, number>>;
  /** Jobs created in the window by status, with render-time quantiles. */
  summary(query: { since: Date; userId?: string }): Promise<JobSummary>;
  /** The stored video of a successful job; `NotFoundError` when the job has none. */
  video(id: string): Promise<{ job: JobRecord; key: string }>;
  health(): Promise<HealthReport>;
  /** Attempts waiting and running in the queue (every worker's), and the workers seen recently. */
  queueStats(): Promise<QueueStats & { workers: WorkerInfo[] }>;
  /** Calls `listener` on every change of one job, wherever it runs; returns the unsubscribe function. */
  subscribe(id: string, listener: JobListener): () => void;
  /**
   * Claims the notification (webhook) of the job's current final state: true for exactly one
   * caller across all processes, until the job is retried.
   */
  claimNotification(job: JobRecord): Promise<boolean>;
  /** Sweeps now, when this process runs a worker (see `JobWorker.sweep`); else 0. */
  sweep(): Promise<number>;
  /** Stops this process's worker (hands back what it could not finish in `timeoutMs`), then the producer. */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Where the jobs' videos are stored (the pipeline's storage). */
  readonly storage: StorageProvider;
  /** The pipeline's providers: the TTS providers a request may pick (`voices`), images, storage. */
  readonly providers: Pipeline['providers'];
}
