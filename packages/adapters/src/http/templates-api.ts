import { Hono, type Context } from 'hono';
import { ValidationError, type JobTemplate, type TemplateStore } from '@scriptsensei/core';
import type { z } from 'zod';
import { HttpError, toHttpError } from './http-errors.js';
import { templateBodySchema, templateQuerySchema } from './schemas.js';

type Vars = { Variables: { user: string | undefined } };

export interface TemplateRoutesContext {
  templates: TemplateStore;
  /** Whether a token decides the user (else `user_id` from the query or body does). */
  authEnabled: boolean;
  readJson(c: Context): Promise<unknown>;
  shapeError(error: z.ZodError, prefix?: string): HttpError;
  basePath: string;
}

/** A template as the wire shows it: snake_case, absent fields as `null`. */
export function templateToWire(t: JobTemplate) {
  return {
    template_id: t.id,
    user_id: t.userId,
    name: t.name,
    title: t.title ?? null,
    voice: t.voice ?? null,
    voice_provider: t.voiceProvider ?? null,
    platform: t.platform ?? null,
    style: t.style ?? null,
    language: t.language ?? null,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

/**
 * `/templates`: a user's saved render presets (title, voice, voice provider, platform, style,
 * language), which front ends apply to new jobs. Mounted by `createJobsApi` behind its auth.
 */
export function templateRoutes(ctx: TemplateRoutesContext): Hono<Vars> {
  const app = new Hono<Vars>({ strict: false });
  const owner = (c: Context<Vars>, fromRequest: string | undefined) => (ctx.authEnabled ? c.get('user')! : fromRequest || 'anonymous');
  const queryOwner = (c: Context<Vars>) => {
    const parsed = templateQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw ctx.shapeError(parsed.error, 'query.');
    return owner(c, parsed.data.user_id);
  };
  const body = async (c: Context<Vars>) => {
    const parsed = templateBodySchema.safeParse(await ctx.readJson(c));
    if (!parsed.success) throw ctx.shapeError(parsed.error);
    const { user_id, voice_provider, ...rest } = parsed.data;
    return { userId: owner(c, user_id), input: { ...rest, voiceProvider: voice_provider } };
  };
  /** The store's errors with wire field names (`voiceProvider` → `voice_provider`). */
  const wired = async <T>(work: Promise<T>) => {
    try {
      return await work;
    } catch (error) {
      if (!ValidationError.is(error)) throw toHttpError(error);
      const fields = error.issues.map((i) => ({ field: i.field === 'voiceProvider' ? 'voice_provider' : i.field, message: i.message }));
      throw new HttpError(422, 'VALIDATION', `Invalid template: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
    }
  };

  app.get('/', async (c) => c.json({ templates: (await ctx.templates.list(queryOwner(c))).map(templateToWire) }));
  app.post('/', async (c) => {
    const { userId, input } = await body(c);
    const created = await wired(ctx.templates.create(userId, input));
    return c.json(templateToWire(created), 201, { Location: `${ctx.basePath}/templates/${created.id}` });
  });
  app.get('/:id', async (c) => c.json(templateToWire(await wired(ctx.templates.get(queryOwner(c), c.req.param('id'))))));
  app.put('/:id', async (c) => {
    const { userId, input } = await body(c);
    return c.json(templateToWire(await wired(ctx.templates.replace(userId, c.req.param('id'), input))));
  });
  app.delete('/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await ctx.templates.delete(queryOwner(c), id))) throw new HttpError(404, 'NOT_FOUND', `No template ${JSON.stringify(id)}`);
    return c.body(null, 204);
  });
  return app;
}
