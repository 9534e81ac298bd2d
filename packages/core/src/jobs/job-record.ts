import type { RenderRequest } from '../request.js';
import type { LiveStream, RenderResult } from '../pipeline/create-pipeline.js';
import type { Stage } from '../pipeline/progress.js';
import type { FieldIssue } from '../errors.js';

/** Job states: one vocabulary for the TypeScript API, the wire format and the UI. */
export const JOB_STATUSES = ['pending', 'processing', 'retrying', 'success', 'failure', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** States a job never leaves on its own. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['success', 'failure', 'cancelled'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Why a job failed, as stored and sent over the wire. */
export interface JobError {
  code: string;
  message: string;
  retryable: boolean;
  issues?: FieldIssue[];
}

/** A video job. Timestamps are ISO 8601 strings so records store and travel as plain JSON. */
export interface JobRecord {
  id: string;
  userId: string;
  status: JobStatus;
  /** 0..1, monotonic within an attempt. */
  progress: number;
  /** The pipeline stage of the last progress update, or `queued` before the first. */
  stage: Stage | 'queued';
  message: string;
  /** Attempts started so far, including the running one. */
  attempts: number;
  maxAttempts: number;
  /** 1..10, higher runs sooner. */
  priority: number;
  request: RenderRequest;
  result?: RenderResult;
  /** While the job renders: its live HLS stream, once the first scene is published. */
  live?: LiveStream;
  error?: JobError;
  idempotencyKey?: string;
  webhookUrl?: string;
  /** Notes for the caller that did not stop the job (e.g. a substituted provider). */
  warnings?: string[];
  /** The caller's own string labels (e.g. `script_id`), stored and returned unchanged. */
  metadata?: Record<string, string>;
  /** Estimated seconds until the job finishes, while it is not finished. */
  etaSeconds?: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** When a `retrying` job's next attempt is due. */
  nextAttemptAt?: string;
  /** The queue entry allowed to run the job's next or current attempt (engine-internal). */
  attemptId?: string;
  /** The run that holds the job while it is `processing`; fences a worker that lost it (engine-internal). */
  runId?: string;
  /** The worker that ran the latest attempt. */
  workerId?: string;
  /** When the webhook for the job's current final state was claimed for delivery (engine-internal). */
  notifiedAt?: string;
}
