import type { JobRecord } from '../jobs/job-record.js';

export type JobEventType = 'submitted' | 'progress' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';

/** A change of one job, carrying the job as it is after the change. */
export interface JobEvent {
  type: JobEventType;
  job: JobRecord;
}

/**
 * Job events seam: changes published by whichever process made them (the worker running an
 * attempt, the API process cancelling) reach every subscriber in every process. `subscribe`,
 * SSE, webhooks, ETA history and cancellation of a running attempt sit on it. Delivery is at
 * most once; after a gap (a reconnect) `onResync` listeners are told to read current state.
 */
export interface JobEvents {
  readonly specificationVersion: 'v1';
  readonly name: string;
  publish(event: JobEvent): Promise<void>;
  /**
   * Calls `listener` with every event of every job, or only those of `types` (a worker listens
   * to cancellations alone, so a remote bus need not send it every progress event); returns the
   * unsubscribe function.
   */
  subscribe(listener: (event: JobEvent) => void, options?: { types?: readonly JobEventType[] }): () => void;
  /** Calls `listener` when events may have been missed (after a reconnect). */
  onResync(listener: () => void): () => void;
  /** Resolves once the subscriptions made so far receive events (a remote bus subscribes asynchronously). */
  ready?(): Promise<void>;
  healthCheck?(): Promise<void>;
  close(): Promise<void>;
}
