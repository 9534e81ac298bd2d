import type { JobRecord } from './job-record.js';

/** How many recent successful render durations the estimate remembers. */
const HISTORY = 50;

/**
 * Estimates how long a job still needs: from its own progress rate once it has made some
 * progress, blended (weighted by progress) with the mean duration of recent successful jobs.
 */
export class EtaEstimator {
  private readonly durations: number[] = [];

  /** Records the wall time of a successful attempt, in seconds. */
  record(seconds: number): void {
    this.durations.push(seconds);
    if (this.durations.length > HISTORY) this.durations.shift();
  }

  private mean(): number | undefined {
    return this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length : undefined;
  }

  /** Seconds left for `job` at time `now` (ms), or undefined when there is nothing to go on. */
  estimate(job: Pick<JobRecord, 'status' | 'progress' | 'startedAt'>, now: number): number | undefined {
    const typical = this.mean();
    if (job.status !== 'processing' || !job.startedAt) return typical === undefined ? undefined : round(typical);
    const elapsed = Math.max(0, (now - Date.parse(job.startedAt)) / 1000);
    const fromHistory = typical === undefined ? undefined : Math.max(0, typical - elapsed);
    if (job.progress < 0.05) return fromHistory === undefined ? undefined : round(fromHistory);
    const fromRate = (elapsed * (1 - job.progress)) / job.progress;
    return round(fromHistory === undefined ? fromRate : job.progress * fromRate + (1 - job.progress) * fromHistory);
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
