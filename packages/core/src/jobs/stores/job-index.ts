import { JOB_STATUSES, isTerminal, type JobRecord, type JobStatus } from '../job-record.js';
import type { JobListQuery, JobSummary } from '../../specs/job-store.js';

/** What the index keeps of a job: enough to filter, count and sweep without reading records. */
interface Entry {
  id: string;
  userId: string;
  status: JobStatus;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  idempotencyKey?: string;
}

/**
 * In-memory indexes over job records: by user, by status, finished, by idempotency key, and
 * counts by status. Sets keep insertion order, so ids are held in creation order and deletions
 * are O(1).
 */
export class JobIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly all = new Set<string>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly byStatus = new Map<JobStatus, Set<string>>(JOB_STATUSES.map((s) => [s, new Set<string>()]));
  private readonly finished = new Set<string>();
  private readonly idempotency = new Map<string, string>();

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Adds or refreshes a job. Records must be added in creation order. */
  put(job: JobRecord): void {
    const previous = this.entries.get(job.id);
    if (previous) this.byStatus.get(previous.status)!.delete(job.id);
    const entry: Entry = {
      id: job.id,
      userId: job.userId,
      status: job.status,
      // A job's creation time never changes: parse it once.
      createdAt: previous?.createdAt ?? Date.parse(job.createdAt),
      startedAt: job.startedAt ? Date.parse(job.startedAt) : undefined,
      finishedAt: job.finishedAt ? Date.parse(job.finishedAt) : undefined,
      idempotencyKey: job.idempotencyKey,
    };
    this.entries.set(job.id, entry);
    this.all.add(job.id);
    let mine = this.byUser.get(job.userId);
    if (!mine) this.byUser.set(job.userId, (mine = new Set()));
    mine.add(job.id);
    this.byStatus.get(job.status)!.add(job.id);
    if (isTerminal(job.status)) this.finished.add(job.id);
    else this.finished.delete(job.id);
    if (job.idempotencyKey) this.idempotency.set(idempotencyId(job.userId, job.idempotencyKey), job.id);
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.all.delete(id);
    const mine = this.byUser.get(entry.userId);
    mine?.delete(id);
    if (mine?.size === 0) this.byUser.delete(entry.userId);
    this.byStatus.get(entry.status)!.delete(id);
    this.finished.delete(id);
    if (entry.idempotencyKey) {
      const key = idempotencyId(entry.userId, entry.idempotencyKey);
      if (this.idempotency.get(key) === id) this.idempotency.delete(key);
    }
  }

  idByIdempotencyKey(userId: string, key: string): string | undefined {
    return this.idempotency.get(idempotencyId(userId, key));
  }

  /** Counts by status: everyone's from the status sets, one user's from that user's set. */
  counts(userId?: string): Record<JobStatus, number> {
    if (userId === undefined) return Object.fromEntries(JOB_STATUSES.map((s) => [s, this.byStatus.get(s)!.size])) as Record<JobStatus, number>;
    const counts = emptyCounts();
    for (const id of this.byUser.get(userId) ?? []) counts[this.entries.get(id)!.status] += 1;
    return counts;
  }

  /** Counts and render-time quantiles of the jobs created at or after `since` (ms). */
  summary(since: number, userId?: string): JobSummary {
    const counts = emptyCounts();
    const seconds: number[] = [];
    let total = 0;
    for (const id of (userId === undefined ? this.all : this.byUser.get(userId)) ?? []) {
      const entry = this.entries.get(id)!;
      if (entry.createdAt < since) continue;
      total += 1;
      counts[entry.status] += 1;
      if (entry.status === 'success' && entry.startedAt !== undefined && entry.finishedAt !== undefined) seconds.push((entry.finishedAt - entry.startedAt) / 1000);
    }
    return { counts, total, renderSeconds: quantiles(seconds) };
  }

  /** Ids matching the query, in the requested order, and the total before paging. */
  query(query: JobListQuery, page: number, pageSize: number): { ids: string[]; total: number } {
    const after = query.createdAfter ? Date.parse(query.createdAfter) : -Infinity;
    const before = query.createdBefore ? Date.parse(query.createdBefore) : Infinity;
    // Start from the smallest candidate set; only the user's or the status's ids are visited.
    const source = query.userId !== undefined ? this.byUser.get(query.userId) : query.status ? this.byStatus.get(query.status) : this.all;
    let ids: string[] = [];
    for (const id of source ?? []) {
      const entry = this.entries.get(id)!;
      if (query.status && entry.status !== query.status) continue;
      if (entry.createdAt < after || entry.createdAt > before) continue;
      ids.push(id);
    }
    // The status set is in transition order, not creation order.
    if (query.userId === undefined && query.status) ids.sort((a, b) => this.entries.get(a)!.createdAt - this.entries.get(b)!.createdAt);
    if ((query.order ?? 'newest') === 'newest') ids.reverse();
    const total = ids.length;
    ids = ids.slice((page - 1) * pageSize, page * pageSize);
    return { ids, total };
  }

  /**
   * Ids of jobs finished before `before` (ms), oldest first. Every finished entry is visited:
   * records may arrive out of finish order (an import, a restored backup).
   */
  finishedBefore(before: number, limit: number): string[] {
    const due: Entry[] = [];
    for (const id of this.finished) {
      const entry = this.entries.get(id)!;
      if ((entry.finishedAt ?? 0) < before) due.push(entry);
    }
    return due
      .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0))
      .slice(0, limit)
      .map((entry) => entry.id);
  }

  unfinished(): string[] {
    return [...this.byStatus.get('pending')!, ...this.byStatus.get('processing')!, ...this.byStatus.get('retrying')!];
  }
}

export function emptyCounts(): Record<JobStatus, number> {
  return Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
}

/** p50 and p95 (nearest rank) of `values`, and how many there were. */
export function quantiles(values: number[]): JobSummary['renderSeconds'] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null);
  return { p50: at(0.5), p95: at(0.95), count: sorted.length };
}

function idempotencyId(userId: string, key: string): string {
  return `${userId}\u0000${key}`;
}
