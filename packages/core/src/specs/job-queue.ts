/**
 * One attempt of a job, as a queue holds it. Each attempt has its own `attemptId` (a retry or a
 * hand-back gets a new one), so a queue that keeps finished entries by id (BullMQ) never
 * mistakes a new attempt for an old one, and an entry left over from an older attempt is
 * recognised as stale and skipped.
 */
export interface QueueEntry {
  jobId: string;
  attemptId: string;
  /** 1..10, higher runs sooner. */
  priority: number;
}

export type AttemptHandler = (entry: QueueEntry, signal: AbortSignal) => Promise<void>;

export interface QueueStats {
  /** Waiting to run, delayed ones (retry backoff) included. */
  waiting: number;
  /** Running now, on every worker. */
  running: number;
}

/** A process that runs attempts, as seen through its heartbeats. */
export interface WorkerInfo {
  id: string;
  hostname: string;
  pid: number;
  concurrency: number;
  /** Attempts it is running. */
  running: number;
  /** ISO time of its last heartbeat. */
  seenAt: string;
}

/** The part of a queue that runs attempts in this process. */
export interface QueueWorker {
  readonly id: string;
  readonly concurrency: number;
  /** Attempts running here now (their attempt ids). */
  running(): string[];
  /** Fires the signal of an attempt running here; false when it does not run here. */
  abort(attemptId: string, reason?: unknown): boolean;
  /**
   * Stops taking attempts, waits up to `timeoutMs` for running ones, then aborts the rest and
   * waits for their handlers. Returns the attempt ids it had to abort.
   */
  close(options?: { timeoutMs?: number }): Promise<string[]>;
}

/**
 * Queue seam: decides when and where each attempt runs. A producer enqueues; any process that
 * called `work` runs attempts. The in-process queue runs them in this process; a distributed one
 * (BullMQ) on whichever worker takes them, and keeps its entries across restarts (`durable`).
 */
export interface JobQueue {
  readonly specificationVersion: 'v2';
  readonly name: string;
  /**
   * Entries outlive this process. When false, the engine enqueues unfinished jobs again at
   * start-up; when true, the queue itself gives a dead worker's attempts to another worker.
   */
  readonly durable: boolean;
  /** Schedules an attempt; `delayMs` postpones it (retry backoff). Enqueuing an attempt id that is already queued is a no-op. */
  enqueue(entry: QueueEntry, options?: { delayMs?: number }): Promise<void>;
  /** Removes a waiting or delayed attempt; false when it is not waiting (running, done or unknown). */
  remove(attemptId: string): Promise<boolean>;
  /** Starts running attempts in this process, at most `concurrency` at once. Once per queue. */
  work(handler: AttemptHandler, options: { concurrency: number }): QueueWorker;
  stats(): Promise<QueueStats>;
  /** Workers seen recently, this process's included. */
  workers(): Promise<WorkerInfo[]>;
  /** Stops the producer side (closes connections). Close the worker first. */
  close(): Promise<void>;
  healthCheck?(): Promise<void>;
}
