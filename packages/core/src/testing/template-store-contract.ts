import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_DEFAULTS } from '../defaults.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { TemplateStore } from '../specs/template-store.js';

export interface TemplateStoreContractOptions {
  name: string;
  /** A fresh store; tests use their own user ids, so stores may share a backend. */
  create: () => TemplateStore | Promise<TemplateStore>;
  /** Another instance over the same data (as in another process), to check the rules hold across instances. */
  peer?: (store: TemplateStore) => TemplateStore | Promise<TemplateStore>;
  skip?: string;
}

/** The behaviour every `TemplateStore` must show. */
export function runTemplateStoreContract(options: TemplateStoreContractOptions): void {
  const user = (tag: string) => `tpl-${tag}-${randomUUID()}`;
  describe.skipIf(Boolean(options.skip))(`TemplateStore contract: ${options.name}`, () => {
    it('creates, lists by name, gets, replaces and deletes one user’s templates', async () => {
      const store = await options.create();
      const alice = user('alice');
      const b = await store.create(alice, { name: '  Shorts ', platform: 'Shorts', voice: 'en-us', title: '', style: 'dark', language: 'en_US' });
      expect(b).toMatchObject({ userId: alice, name: 'Shorts', platform: 'shorts', voice: 'en-us', style: 'dark', language: 'en-US' });
      expect(b).not.toHaveProperty('title'); // empty strings are absent
      expect(b.createdAt).toBe(b.updatedAt);
      const a = await store.create(alice, { name: 'Announcements', title: 'News', voiceProvider: 'espeak', language: 'en-GB' });
      expect((await store.list(alice)).map((t) => t.name)).toEqual(['Announcements', 'Shorts']);
      expect(await store.get(alice, a.id)).toEqual(a);

      const replaced = await store.replace(alice, b.id, { name: 'Shorts v2', platform: 'reels' });
      expect(replaced).toMatchObject({ id: b.id, name: 'Shorts v2', platform: 'reels', createdAt: b.createdAt });
      expect(replaced).not.toHaveProperty('voice'); // a replace clears what it leaves out
      expect(replaced.updatedAt >= b.updatedAt).toBe(true);

      expect(await store.delete(alice, a.id)).toBe(true);
      expect(await store.delete(alice, a.id)).toBe(false);
      expect((await store.list(alice)).map((t) => t.id)).toEqual([b.id]);
      await store.close?.();
    });

    it('keeps users apart: another user’s template does not exist for you', async () => {
      const store = await options.create();
      const [alice, bob] = [user('alice'), user('bob')];
      const mine = await store.create(alice, { name: 'Mine' });
      expect(await store.list(bob)).toEqual([]);
      await expect(store.get(bob, mine.id)).rejects.toSatisfy(NotFoundError.is);
      await expect(store.replace(bob, mine.id, { name: 'Stolen' })).rejects.toSatisfy(NotFoundError.is);
      expect(await store.delete(bob, mine.id)).toBe(false);
      // The same name is fine for another user.
      await expect(store.create(bob, { name: 'mine' })).resolves.toMatchObject({ userId: bob });
      await store.close?.();
    });

    it('refuses a duplicate name (ignoring case and spaces), on create and on replace', async () => {
      const store = await options.create();
      const alice = user('alice');
      const first = await store.create(alice, { name: 'Weekly' });
      const second = await store.create(alice, { name: 'Daily' });
      await expect(store.create(alice, { name: ' weekly ' })).rejects.toSatisfy(ConflictError.is);
      await expect(store.replace(alice, second.id, { name: 'WEEKLY' })).rejects.toSatisfy(ConflictError.is);
      await expect(store.replace(alice, first.id, { name: 'weekly', style: 'light' })).resolves.toMatchObject({ name: 'weekly' });
      await store.close?.();
    });

    it('names every bad field, and refuses unknown ones', async () => {
      const store = await options.create();
      const error = await store.create(user('v'), { name: '', platform: 'myspace', title: 'x'.repeat(201), language: 'english please', colour: 'red' } as never).catch((e: unknown) => e);
      expect(ValidationError.is(error)).toBe(true);
      const fields = (error as ValidationError).issues.map((i) => i.field).sort();
      expect(fields).toEqual(expect.arrayContaining(['name', 'platform', 'title', 'language']));
      expect(fields).toContain('colour');
      await store.close?.();
    });

    it(`loses no template to concurrent creates, and stops at ${TEMPLATE_DEFAULTS.maxPerUser} per user`, async () => {
      const store = await options.create();
      const other = options.peer ? await options.peer(store) : store;
      const alice = user('alice');
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).create(alice, { name: `T${i}` })));
      expect(new Set(created.map((t) => t.id)).size).toBe(20);
      expect(await store.list(alice)).toHaveLength(20);
      // The same name from two instances at once: exactly one wins.
      const race = await Promise.allSettled([store.create(alice, { name: 'Same' }), other.create(alice, { name: 'same' })]);
      expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      await Promise.all(Array.from({ length: TEMPLATE_DEFAULTS.maxPerUser - 21 }, (_, i) => store.create(alice, { name: `More ${i}` })));
      const over = await Promise.allSettled([store.create(alice, { name: 'Last' }), other.create(alice, { name: 'Also last' })]);
      expect(over.filter((r) => r.status === 'fulfilled')).toHaveLength(0);
      expect(ConflictError.is((over[0] as PromiseRejectedResult).reason)).toBe(true);
      expect(await store.list(alice)).toHaveLength(TEMPLATE_DEFAULTS.maxPerUser);
      if (other !== store) await other.close?.();
      await store.close?.();
    });
  });
}
