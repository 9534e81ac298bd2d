import Keyv from 'keyv';
import { ConflictError, ProviderError } from '../../errors.js';
import type { JobCondition, JobListQuery, JobPage, JobStore } from '../../specs/job-store.js';
import { KeyLock } from '../key-lock.js';
import type { JobRecord, JobStatus } from '../job-record.js';
import { JobIndex } from './job-index.js';

export interface KeyvJobStoreOptions {
  /**
   * Where records are kept. A Keyv over `@keyv/sqlite` or `@keyv/redis` makes jobs survive
   * restarts; give each engine its own namespace, and no TTL (the engine's sweep expires jobs).
   * @defaultValue `new Keyv()` (in memory)
   */
  keyv?: Keyv;
}

const PREFIX = 'job:';
/** Page size when the query names none, and the largest accepted. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * A job store on Keyv: records are Keyv values (`job:<id>`); the indexes that make listing and
 * counting cheap are kept in memory and rebuilt from the records by `open()`. Updates are
 * atomic through a lock per job in this process.
 *
 * So one process owns a store at a time (the embedded engine with its in-process queue).
 * Several processes need the Redis store of `@scriptsensei/adapters/bullmq`, whose indexes and
 * atomic steps live in Redis.
 */
export function createKeyvJobStore(options: KeyvJobStoreOptions = {}): JobStore {
  // Plain JSON for the default in-memory Keyv: records are JSON already, and Keyv's general
  // serializer (Buffers, escaping) made up a quarter of the engine's CPU time per job.
  const keyv = options.keyv ?? new Keyv({ serialize: JSON.stringify, deserialize: (text) => JSON.parse(text) });
  const index = new JobIndex();
  const lock = new KeyLock();
  const read = async (id: string) => (await keyv.get<JobRecord>(PREFIX + id)) ?? undefined;
  // Keyv reports a failed write by returning false (unless built with throwOnErrors): never lose one silently.
  const write = async (job: JobRecord) => {
    if (!(await keyv.set(PREFIX + job.id, job))) throw new ProviderError('job-store', `could not save job ${job.id}`);
  };

  let opening: Promise<void> | undefined;
  async function load(): Promise<void> {
    if (!keyv.iterator) return;
    const found: JobRecord[] = [];
    for await (const [key, value] of keyv.iterator(keyv.namespace)) {
      if (typeof key === 'string' && key.startsWith(PREFIX) && value) found.push(value as JobRecord);
    }
    found.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    for (const job of found) index.put(job);
  }

  async function records(ids: string[]): Promise<JobRecord[]> {
    if (!ids.length) return [];
    const values = await keyv.getMany<JobRecord>(ids.map((id) => PREFIX + id));
    return values.filter((v): v is JobRecord => Boolean(v));
  }

  return {
    specificationVersion: 'v2',
    name: 'keyv',
    open() {
      // The producer and the worker of one engine both open it: load the records once.
      opening ??= load();
      return opening;
    },
    create(job) {
      const add = () =>
        lock.run(job.id, async () => {
          // The index holds every record of this store (open() loaded them), so it alone decides.
          if (index.has(job.id)) throw new ConflictError(`Job ${job.id} already exists`);
          const existing = job.idempotencyKey === undefined ? undefined : index.idByIdempotencyKey(job.userId, job.idempotencyKey);
          const found = existing === undefined ? undefined : await read(existing);
          if (found) return found;
          await write(job);
          index.put(job);
          return job;
        });
      // Serialised per (user, key) too, so two submissions with one key make one job.
      return job.idempotencyKey === undefined ? add() : lock.run(`idempotency\u0000${job.userId}\u0000${job.idempotencyKey}`, add);
    },
    get: read,
    update(id, patch, { when, addAttempts } = {}) {
      return lock.run(id, async () => {
        const current = await read(id);
        if (!current || !holds(current, when)) return undefined;
        const next = merge(current, addAttempts ? { ...patch, attempts: (patch.attempts ?? current.attempts) + addAttempts } : patch);
        await write(next);
        index.put(next);
        return next;
      });
    },
    delete(id) {
      return lock.run(id, async () => {
        await keyv.delete(PREFIX + id);
        index.remove(id);
      });
    },
    async list(query: JobListQuery = {}): Promise<JobPage> {
      const page = Math.max(1, Math.floor(query.page ?? 1));
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? DEFAULT_PAGE_SIZE)));
      const { ids, total } = index.query(query, page, pageSize);
      return { jobs: await records(ids), total, page, pageSize };
    },
    async counts(userId?: string): Promise<Record<JobStatus, number>> {
      return index.counts(userId);
    },
    async summary({ since, userId }) {
      return index.summary(since.getTime(), userId);
    },
    async findByIdempotencyKey(userId, key) {
      const id = index.idByIdempotencyKey(userId, key);
      return id ? read(id) : undefined;
    },
    async finishedBefore(before, limit) {
      return records(index.finishedBefore(before.getTime(), limit));
    },
    async unfinished() {
      return records(index.unfinished());
    },
    async healthCheck() {
      const probe = `health:${process.pid}`;
      await keyv.set(probe, 1, 10_000);
      await keyv.delete(probe);
    },
    async close() {
      await keyv.disconnect();
    },
  };
}

/** Whether `job` meets `condition` (see `JobCondition`). */
export function holds(job: JobRecord, condition: JobCondition | undefined): boolean {
  if (!condition) return true;
  if (condition.status && !condition.status.includes(job.status)) return false;
  if (condition.attemptId !== undefined && job.attemptId !== condition.attemptId) return false;
  if (condition.runId !== undefined && job.runId !== condition.runId) return false;
  return !condition.absent?.some((field) => job[field] !== undefined);
}

/**
 * `current` with `patch` applied: fields the patch sets to `undefined` are left out. Built by
 * copying rather than `delete`, which would switch the object to V8's slow dictionary mode.
 */
function merge(current: JobRecord, patch: Partial<JobRecord>): JobRecord {
  const next: Record<string, unknown> = {};
  const source = current as unknown as Record<string, unknown>;
  const changes = patch as Record<string, unknown>;
  for (const key in source) if (!(key in changes)) next[key] = source[key];
  for (const key in changes) if (changes[key] !== undefined) next[key] = changes[key];
  next.id = current.id;
  next.updatedAt = new Date().toISOString();
  return next as unknown as JobRecord;
}
