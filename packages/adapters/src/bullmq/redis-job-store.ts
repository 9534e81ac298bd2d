import {
  ConflictError,
  DEFAULT_PAGE_SIZE,
  JOB_STATUSES,
  MAX_PAGE_SIZE,
  emptyCounts,
  type JobListQuery,
  type JobPage,
  type JobRecord,
  type JobStatus,
  type JobStore,
  type JobSummary,
} from '@scriptsensei/core';
import { createRedisClient, DEFAULT_REDIS_PREFIX, type RedisClient, type RedisConnection } from './redis-connection.js';
import { CREATE_JOB, DELETE_JOB, SUMMARIZE_JOBS, UPDATE_JOB } from './redis-store-scripts.js';

export interface RedisJobStoreOptions {
  /** Where Redis is. @defaultValue `REDIS_URL`, else redis://127.0.0.1:6379 */
  connection?: RedisConnection;
  /** An existing client to use instead (not closed by the store). */
  client?: RedisClient;
  /**
   * Prefix of every key; give each deployment (and each test) its own.
   * @defaultValue '{scriptsensei}'
   */
  prefix?: string;
}

type Scripted = RedisClient & {
  ssCreateJob(...args: string[]): Promise<string[]>;
  ssUpdateJob(...args: string[]): Promise<string[] | null>;
  ssDeleteJob(...args: string[]): Promise<number>;
  ssSummarizeJobs(...args: string[]): Promise<string>;
};

/** Record fields whose time in ms is also kept (hidden), for the indexes and the summary. */
const TIMES: Partial<Record<keyof JobRecord, string>> = { createdAt: '~c', startedAt: '~s', finishedAt: '~f' };

/**
 * A job store in Redis for engines in many processes: every update, idempotent create and delete
 * is one Lua script (atomic across processes), and listing, counting, the summary and the sweep
 * read sorted-set indexes, never every job.
 */
export function createRedisJobStore(options: RedisJobStoreOptions = {}): JobStore {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  // Auto-pipelining sends the commands of concurrent calls in one round trip.
  const redis = (options.client ?? createRedisClient(options.connection ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true })) as Scripted;
  const owned = !options.client;
  redis.defineCommand('ssCreateJob', { numberOfKeys: 2, lua: CREATE_JOB });
  redis.defineCommand('ssUpdateJob', { numberOfKeys: 1, lua: UPDATE_JOB });
  redis.defineCommand('ssDeleteJob', { numberOfKeys: 2, lua: DELETE_JOB });
  redis.defineCommand('ssSummarizeJobs', { numberOfKeys: 0, lua: SUMMARIZE_JOBS });

  const jobKey = (id: string) => `${prefix}:job:${id}`;
  const idemKey = `${prefix}:idempotency`;
  // Encoded, so a user id holding ':' can never name another user's index.
  const userPart = (userId: string) => encodeURIComponent(userId);
  const idemSlot = (userId: string, key: string) => `${userPart(userId)}:${encodeURIComponent(key)}`;

  async function readMany(ids: string[]): Promise<JobRecord[]> {
    if (!ids.length) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(jobKey(id));
    const replies = (await pipeline.exec()) ?? [];
    const jobs: JobRecord[] = [];
    for (const [error, hash] of replies) {
      if (error) throw error;
      const job = decode(hash as Record<string, string>);
      if (job) jobs.push(job);
    }
    return jobs;
  }

  const read = async (id: string) => decode(await redis.hgetall(jobKey(id)));

  return {
    specificationVersion: 'v2',
    name: 'redis',
    async open() {
      await redis.ping();
    },
    async create(job) {
      const pairs: string[] = [];
      for (const [field, value] of Object.entries(job)) if (value !== undefined) pairs.push(field, JSON.stringify(value));
      const slot = job.idempotencyKey === undefined ? '' : idemSlot(job.userId, job.idempotencyKey);
      const [outcome, existing] = await redis.ssCreateJob(
        jobKey(job.id), idemKey, prefix, job.id, userPart(job.userId), job.status, String(Date.parse(job.createdAt)),
        job.finishedAt ? String(Date.parse(job.finishedAt)) : '', slot, ...pairs, ...timePairs(job),
      );
      if (outcome === 'conflict') throw new ConflictError(`Job ${job.id} already exists`);
      if (outcome === 'existing') {
        const found = await read(existing!);
        if (found) return found;
      }
      return job;
    },
    get: (id) => (typeof id === 'string' ? read(id) : Promise.resolve(undefined)),
    async update(id, patch, { when = {}, addAttempts = 0 } = {}) {
      const sets: string[] = [];
      const removes: string[] = [];
      for (const [field, value] of Object.entries({ ...patch, updatedAt: new Date().toISOString() })) {
        if (field === 'id') continue;
        const hidden = TIMES[field as keyof JobRecord];
        if (value === undefined) {
          removes.push(field);
          if (hidden) removes.push(hidden);
        } else {
          sets.push(field, JSON.stringify(value));
          if (hidden) sets.push(hidden, String(Date.parse(value as string)));
        }
      }
      const finished = 'finishedAt' in patch ? (patch.finishedAt ? String(Date.parse(patch.finishedAt)) : 'unset') : '';
      const hash = await redis.ssUpdateJob(
        jobKey(id), prefix, id, JSON.stringify(when), String(addAttempts), patch.status ?? '', finished, String(sets.length / 2), ...sets, ...removes,
      );
      return hash ? decode(pairsToObject(hash)) : undefined;
    },
    async delete(id) {
      await redis.ssDeleteJob(jobKey(id), idemKey, prefix, id);
    },
    async list(query: JobListQuery = {}): Promise<JobPage> {
      const page = Math.max(1, Math.floor(query.page ?? 1));
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? DEFAULT_PAGE_SIZE)));
      const index =
        query.userId !== undefined
          ? `${prefix}:user:${userPart(query.userId)}${query.status ? `:${query.status}` : ''}`
          : query.status
            ? `${prefix}:status:${query.status}`
            : `${prefix}:all`;
      const min = query.createdAfter ? String(Date.parse(query.createdAfter)) : '-inf';
      const max = query.createdBefore ? String(Date.parse(query.createdBefore)) : '+inf';
      const offset = (page - 1) * pageSize;
      const [total, ids] = await Promise.all([
        redis.zcount(index, min, max),
        (query.order ?? 'newest') === 'newest'
          ? redis.zrevrangebyscore(index, max, min, 'LIMIT', offset, pageSize)
          : redis.zrangebyscore(index, min, max, 'LIMIT', offset, pageSize),
      ]);
      return { jobs: await readMany(ids), total, page, pageSize };
    },
    async counts(userId?: string) {
      const pipeline = redis.pipeline();
      for (const status of JOB_STATUSES) pipeline.zcard(userId === undefined ? `${prefix}:status:${status}` : `${prefix}:user:${userPart(userId)}:${status}`);
      const replies = (await pipeline.exec()) ?? [];
      return Object.fromEntries(JOB_STATUSES.map((status, i) => [status, Number(replies[i]?.[1] ?? 0)])) as Record<JobStatus, number>;
    },
    async summary({ since, userId }): Promise<JobSummary> {
      const index = userId === undefined ? 'all' : `user:${userPart(userId)}`;
      const raw = JSON.parse(await redis.ssSummarizeJobs(prefix, index, String(since.getTime()))) as {
        counts: Partial<Record<JobStatus, number>> | unknown[];
        total: number;
        p50: number | null;
        p95: number | null;
        count: number;
      };
      // cjson writes an empty table as `{}`, but check anyway: an empty Lua table may come out as `[]`.
      const counts = { ...emptyCounts(), ...(Array.isArray(raw.counts) ? {} : raw.counts) };
      return { counts, total: raw.total, renderSeconds: { p50: raw.p50, p95: raw.p95, count: raw.count } };
    },
    async findByIdempotencyKey(userId, key) {
      const id = await redis.hget(idemKey, idemSlot(userId, key));
      return id ? read(id) : undefined;
    },
    async finishedBefore(before, limit) {
      return readMany(await redis.zrangebyscore(`${prefix}:finished`, '-inf', `(${before.getTime()}`, 'LIMIT', 0, limit));
    },
    async unfinished() {
      const ids = await Promise.all(['pending', 'processing', 'retrying'].map((s) => redis.zrange(`${prefix}:status:${s}`, 0, -1)));
      return readMany(ids.flat());
    },
    async healthCheck() {
      await redis.ping();
    },
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Hidden time fields for a new record. */
function timePairs(job: JobRecord): string[] {
  const pairs: string[] = [];
  if (job.startedAt) pairs.push('~s', String(Date.parse(job.startedAt)));
  return pairs;
}

function pairsToObject(flat: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) object[flat[i]!] = flat[i + 1]!;
  return object;
}

/** A job record from its hash, hidden fields left out; undefined for an empty hash (no such job). */
function decode(hash: Record<string, string>): JobRecord | undefined {
  const record: Record<string, unknown> = {};
  let any = false;
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('~')) continue;
    record[field] = JSON.parse(value);
    any = true;
  }
  return any ? (record as unknown as JobRecord) : undefined;
}
