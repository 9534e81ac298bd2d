/** What a queue hands to the engine's worker for one attempt. */
export interface QueuedJob {
  id: string;
  priority: number;
}

export type JobHandler = (job: QueuedJob, signal: AbortSignal) => Promise<void>;

export interface QueueStats {
  /** Waiting to run. */
  waiting: number;
  /** Running now. */
  running: number;
  concurrency: number;
}

/**
 * Queue seam: decides when and where each job attempt runs. The in-process queue runs
 * attempts in this process; a distributed one (BullMQ) runs them on any worker.
 */
export interface JobQueue {
  readonly specificationVersion: 'v1';
  readonly name: string;
  /** Registers the function that runs one attempt. Called once, before the first enqueue. */
  process(handler: JobHandler): void;
  /** Schedules an attempt; `delayMs` postpones it (retry backoff). Enqueuing an id that is already waiting is a no-op. */
  enqueue(job: QueuedJob, options?: { delayMs?: number }): Promise<void>;
  /**
   * Removes a waiting or delayed attempt, or aborts the signal of a running one.
   * Returns where the job was, or `absent`.
   */
  cancel(id: string, reason?: unknown): Promise<'waiting' | 'running' | 'absent'>;
  stats(): Promise<QueueStats>;
  /**
   * Stops taking attempts, waits up to `timeoutMs` for running ones, then aborts the rest.
   * Returns the ids of the attempts it had to abort.
   */
  close(options?: { timeoutMs?: number }): Promise<string[]>;
  healthCheck?(): Promise<void>;
}
