import {
  NotFoundError,
  TEMPLATE_DEFAULTS,
  byTemplateName,
  checkTemplateInput,
  duplicateTemplateName,
  templateNameKey as nameKey,
  templateRecord,
  tooManyTemplates,
  type JobTemplate,
  type TemplateStore,
} from '@scriptsensei/core';
import { createRedisClient, DEFAULT_REDIS_PREFIX, type RedisClient, type RedisConnection } from './redis-connection.js';

export interface RedisTemplateStoreOptions {
  /** Where Redis is. @defaultValue `REDIS_URL`, else redis://127.0.0.1:6379 */
  connection?: RedisConnection;
  /** An existing client to use instead (not closed by the store). */
  client?: RedisClient;
  /** @defaultValue '{scriptsensei}' */
  prefix?: string;
}

// Per user: a hash of templates (id → JSON) and a hash of name keys (lower-cased name → id).
// Each write is one script, conditioned on what the caller read (compare-and-set, as the job
// store), so the name and count rules hold across processes.

/** KEYS: templates, names. ARGV: id, name key, JSON, limit. */
const CREATE = `
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'DUPLICATE' end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 'FULL' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return 'OK'`;

/** KEYS: templates, names. ARGV: id, JSON read, its name key, new JSON ('' to delete), new name key. */
const CHANGE = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 'STALE' end
if ARGV[4] ~= '' then
  local owner = redis.call('HGET', KEYS[2], ARGV[5])
  if owner and owner ~= ARGV[1] then return 'DUPLICATE' end
end
redis.call('HDEL', KEYS[2], ARGV[3])
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
  redis.call('HSET', KEYS[2], ARGV[5], ARGV[1])
end
return 'OK'`;

type Scripted = RedisClient & {
  ssCreateTemplate(...args: string[]): Promise<string>;
  ssChangeTemplate(...args: string[]): Promise<string>;
};

/** Job templates in Redis, shared by every API process of a deployment. */
export function createRedisTemplateStore(options: RedisTemplateStoreOptions = {}): TemplateStore {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const redis = (options.client ?? createRedisClient(options.connection ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')) as Scripted;
  const owned = !options.client;
  redis.defineCommand('ssCreateTemplate', { numberOfKeys: 2, lua: CREATE });
  redis.defineCommand('ssChangeTemplate', { numberOfKeys: 2, lua: CHANGE });
  // Encoded, so a user id holding ':' can never name another user's keys.
  const keys = (userId: string) => [`${prefix}:templates:${encodeURIComponent(userId)}`, `${prefix}:template-names:${encodeURIComponent(userId)}`] as const;

  async function read(userId: string, id: string): Promise<{ json: string; template: JobTemplate }> {
    const json = await redis.hget(keys(userId)[0], id);
    if (!json) throw new NotFoundError(`No template "${id}"`);
    return { json, template: JSON.parse(json) as JobTemplate };
  }

  /** Writes `next` (or deletes, when undefined) over what was read; reads again if another process got there first. */
  async function change(userId: string, id: string, next: (previous: JobTemplate) => JobTemplate | undefined): Promise<JobTemplate | undefined> {
    for (;;) {
      const { json, template } = await read(userId, id);
      const updated = next(template);
      const answer = await redis.ssChangeTemplate(...keys(userId), id, json, nameKey(template.name), updated ? JSON.stringify(updated) : '', updated ? nameKey(updated.name) : '');
      if (answer === 'DUPLICATE') throw duplicateTemplateName(updated!.name);
      if (answer === 'OK') return updated;
    }
  }

  return {
    specificationVersion: 'v1',
    async list(userId) {
      const all = await redis.hvals(keys(userId)[0]);
      return all.map((json) => JSON.parse(json) as JobTemplate).sort(byTemplateName);
    },
    get: async (userId, id) => (await read(userId, id)).template,
    async create(userId, raw) {
      const input = checkTemplateInput(raw);
      const template = templateRecord(userId, input);
      const answer = await redis.ssCreateTemplate(...keys(userId), template.id, nameKey(input.name), JSON.stringify(template), String(TEMPLATE_DEFAULTS.maxPerUser));
      if (answer === 'DUPLICATE') throw duplicateTemplateName(input.name);
      if (answer === 'FULL') throw tooManyTemplates();
      return template;
    },
    async replace(userId, id, raw) {
      const input = checkTemplateInput(raw);
      return (await change(userId, id, (previous) => templateRecord(userId, input, previous)))!;
    },
    async delete(userId, id) {
      try {
        await change(userId, id, () => undefined);
        return true;
      } catch (error) {
        if (NotFoundError.is(error)) return false;
        throw error;
      }
    },
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
