import Keyv from 'keyv';
import { TEMPLATE_DEFAULTS } from '../defaults.js';
import { NotFoundError, ProviderError } from '../errors.js';
import { KeyLock } from '../jobs/key-lock.js';
import type { JobTemplate, TemplateStore } from '../specs/template-store.js';
import { byTemplateName, checkTemplateInput, duplicateTemplateName as duplicateName, templateNameKey as nameKey, templateRecord, tooManyTemplates as tooMany } from './template-rules.js';

/**
 * Templates on Keyv: one value per user (`templates:<userId>`) holding that user's templates, so
 * listing is one read. Writes for a user are serialised by a lock in this process, so the name
 * and count rules hold for one process (the embedded server, with SQLite for durability); several
 * processes share the Redis store of `@scriptsensei/adapters/bullmq`.
 */
export function createKeyvTemplateStore(options: { keyv?: Keyv } = {}): TemplateStore {
  const keyv = options.keyv ?? new Keyv();
  const lock = new KeyLock();
  let closing: Promise<void> | undefined;
  const key = (userId: string) => `templates:${userId}`;
  const read = async (userId: string) => (await keyv.get<JobTemplate[]>(key(userId))) ?? [];
  const write = async (userId: string, templates: JobTemplate[]) => {
    const ok = templates.length ? await keyv.set(key(userId), templates) : await keyv.delete(key(userId)).then(() => true);
    if (!ok) throw new ProviderError('template-store', `could not save the templates of ${userId}`);
  };
  const find = (templates: JobTemplate[], id: string) => {
    const found = templates.find((t) => t.id === id);
    if (!found) throw new NotFoundError(`No template "${id}"`);
    return found;
  };

  return {
    specificationVersion: 'v1',
    list: async (userId) => (await read(userId)).sort(byTemplateName),
    get: async (userId, id) => find(await read(userId), id),
    create: async (userId, raw) => {
      const input = checkTemplateInput(raw);
      return lock.run(userId, async () => {
        const templates = await read(userId);
        if (templates.some((t) => nameKey(t.name) === nameKey(input.name))) throw duplicateName(input.name);
        if (templates.length >= TEMPLATE_DEFAULTS.maxPerUser) throw tooMany();
        const created = templateRecord(userId, input);
        await write(userId, [...templates, created]);
        return created;
      });
    },
    replace: async (userId, id, raw) => {
      const input = checkTemplateInput(raw);
      return lock.run(userId, async () => {
        const templates = await read(userId);
        const previous = find(templates, id);
        if (templates.some((t) => t.id !== id && nameKey(t.name) === nameKey(input.name))) throw duplicateName(input.name);
        const replaced = templateRecord(userId, input, previous);
        await write(userId, templates.map((t) => (t.id === id ? replaced : t)));
        return replaced;
      });
    },
    delete: (userId, id) =>
      lock.run(userId, async () => {
        const templates = await read(userId);
        const rest = templates.filter((t) => t.id !== id);
        if (rest.length === templates.length) return false;
        await write(userId, rest);
        return true;
      }),
    // Once: a second disconnect of a closed SQLite database is an error.
    close: () => (closing ??= keyv.disconnect()),
  };
}
