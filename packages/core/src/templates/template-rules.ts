import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TEMPLATE_DEFAULTS } from '../defaults.js';
import { ConflictError, ValidationError } from '../errors.js';
import { PLATFORMS } from '../platforms.js';
import type { JobTemplate, JobTemplateInput } from '../specs/template-store.js';

const text = (max: number) => z.string({ error: 'must be a string' }).trim().max(max, `must be at most ${max} characters`);
const schema = z.strictObject({
  name: text(100).min(1, 'must not be empty'),
  title: text(200).optional(),
  voice: text(100).optional(),
  voiceProvider: text(64).optional(),
  // Case and `_` are forgiven as in render requests: `TikTok` is `tiktok`, `en_US` is `en-US`.
  platform: z
    .string({ error: 'must be a string' })
    .trim()
    .toLowerCase()
    .pipe(z.enum(PLATFORMS as [string, ...string[]], { error: `must be one of ${PLATFORMS.join(', ')}` }))
    .optional(),
  style: text(100).optional(),
  language: text(35)
    .transform((tag) => tag.replace(/_/g, '-'))
    .pipe(z.union([z.literal(''), z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a BCP-47 language tag such as en-US')]))
    .optional(),
});

/**
 * The input every template store accepts: trimmed, each field checked (a `ValidationError`
 * names every field at fault), unknown fields refused, empty optional strings left out.
 */
export function checkTemplateInput(input: unknown): JobTemplateInput {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((key) => ({ field: key, message: 'is not a template field' })) : [{ field: i.path.join('.') || 'template', message: i.message }])),
    );
  }
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== '' && v !== undefined)) as unknown as JobTemplateInput;
}

/** The key that makes names unique per user: case and surrounding space do not count. */
export const templateNameKey = (name: string) => name.trim().toLowerCase();

export const duplicateTemplateName = (name: string) => new ConflictError(`A template named "${name}" already exists`);
export const tooManyTemplates = () => new ConflictError(`A user may keep at most ${TEMPLATE_DEFAULTS.maxPerUser} templates; delete one first`);

/** A new record, or `previous` with its editable fields replaced. */
export function templateRecord(userId: string, input: JobTemplateInput, previous?: JobTemplate): JobTemplate {
  const now = new Date().toISOString();
  return { ...input, id: previous?.id ?? randomUUID(), userId, createdAt: previous?.createdAt ?? now, updatedAt: now };
}

/** The order `TemplateStore.list` returns: by name. */
export const byTemplateName = (a: JobTemplate, b: JobTemplate) => a.name.localeCompare(b.name);
