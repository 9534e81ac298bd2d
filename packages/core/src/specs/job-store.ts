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
 * Job store seam: where job records live. Listing by user and status and counting by status
 * must not read every job record.
 */
export interface JobStore {
  readonly specificationVersion: 'v1';
  readonly name: string;
  /** Prepares the store (connects, loads indexes). Called once by the engine before use. */
  open(): Promise<void>;
  /** Adds a new job; throws `ConflictError` when the id exists. */
  create(job: JobRecord): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * Merges a patch into the job when its status is one of `whenStatus` (any status when omitted)
   * and returns the updated record; `undefined` when the job is missing or in another status.
   * A function patch is computed from the current record inside the same atomic step (e.g. to
   * count an attempt). This compare-and-set is what keeps a cancelled job from being marked
   * done by its worker. Fields set to `undefined` are removed.
   */
  update(
    id: string,
    patch: Partial<JobRecord> | ((current: JobRecord) => Partial<JobRecord>),
    whenStatus?: readonly JobStatus[],
  ): Promise<JobRecord | undefined>;
  delete(id: string): Promise<void>;
  list(query?: JobListQuery): Promise<JobPage>;
  counts(): Promise<Record<JobStatus, number>>;
  /** The job a user created with this idempotency key, if it is still stored. */
  findByIdempotencyKey(userId: string, key: string): Promise<JobRecord | undefined>;
  /** Finished jobs whose `finishedAt` is before `before`, oldest first, at most `limit`. */
  finishedBefore(before: Date, limit: number): Promise<JobRecord[]>;
  /** Jobs in `pending`, `processing` or `retrying`: what a restart must pick up. */
  unfinished(): Promise<JobRecord[]>;
  healthCheck?(): Promise<void>;
  close(): Promise<void>;
}
