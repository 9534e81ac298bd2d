import type { JobRecord, JobStatus } from '../jobs/job-record.js';

export interface JobListQuery {
  userId?: string;
  status?: JobStatus;
  /** 1-based. @defaultValue 1 */
  page?: number;
  /** @defaultValue 20 */
  pageSize?: number;
  /** @defaultValue 'newest' */
  order?: 'newest' | 'oldest';
  /** ISO timestamps bounding `createdAt` (inclusive). */
  createdAfter?: string;
  createdBefore?: string;
}

export interface JobPage {
  jobs: JobRecord[];
  /** Jobs matching the query across all pages. */
  total: number;
  page: number;
  pageSize: number;
}

/**
 * What must hold for an update to apply. All given parts must hold; an update whose condition
 * fails changes nothing. This compare-and-set is what keeps a cancelled job from being marked
 * done by its worker, and a worker that lost its job (stalled, taken over) from writing to it.
 */
export interface JobCondition {
  /** The job's status is one of these. */
  status?: readonly JobStatus[];
  /** The job's current queue entry (`attemptId`) is this one. */
  attemptId?: string;
  /** The run holding the job (`runId`) is this one. */
  runId?: string;
  /** These fields are not set on the job (e.g. `notifiedAt`, to claim a notification once). */
  absent?: readonly (keyof JobRecord)[];
}

export interface JobUpdateOptions {
  when?: JobCondition;
  /** Added to `attempts` in the same atomic step (negative to give an attempt back). */
  addAttempts?: number;
}

/** Counts by status, and render-time quantiles of the successful jobs, over a time window. */
export interface JobSummary {
  counts: Record<JobStatus, number>;
  total: number;
  /** Seconds from `startedAt` to `finishedAt` of successful jobs. */
  renderSeconds: { p50: number | null; p95: number | null; count: number };
}

/**
 * Job store seam: where job records live. Every read-modify-write is atomic in the store itself
 * (declarative patches, conditions and increments, no callbacks), so it holds when several
 * processes share the store. Listing by user and status, counting and the summary are
 * index-backed: they never read every job record.
 */
export interface JobStore {
  readonly specificationVersion: 'v2';
  readonly name: string;
  /** Prepares the store (connects, loads indexes). Called once by the engine before use. */
  open(): Promise<void>;
  /**
   * Adds a new job and returns it. When the job carries an idempotency key that its user has
   * already used, nothing is written and the existing job is returned instead (atomically, so
   * concurrent submissions with one key make one job). Throws `ConflictError` when the id exists.
   */
  create(job: JobRecord): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * Merges `patch` into the job when `options.when` holds, sets `updatedAt`, and returns the
   * updated record; `undefined` when the job is missing or the condition fails. Fields set to
   * `undefined` in the patch are removed.
   */
  update(id: string, patch: Partial<JobRecord>, options?: JobUpdateOptions): Promise<JobRecord | undefined>;
  delete(id: string): Promise<void>;
  list(query?: JobListQuery): Promise<JobPage>;
  /** Jobs by status: everyone's, or one user's. */
  counts(userId?: string): Promise<Record<JobStatus, number>>;
  /** Jobs created at or after `since` (everyone's, or one user's), by status, with render-time quantiles. */
  summary(query: { since: Date; userId?: string }): Promise<JobSummary>;
  /** The job a user created with this idempotency key, if it is still stored. */
  findByIdempotencyKey(userId: string, key: string): Promise<JobRecord | undefined>;
  /** Finished jobs whose `finishedAt` is before `before`, oldest first, at most `limit`. */
  finishedBefore(before: Date, limit: number): Promise<JobRecord[]>;
  /** Jobs in `pending`, `processing` or `retrying`: what a restart must pick up. */
  unfinished(): Promise<JobRecord[]>;
  healthCheck?(): Promise<void>;
  close(): Promise<void>;
}
