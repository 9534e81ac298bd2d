import { JOB_STATUSES } from '@scriptsensei/core';
import { z } from 'zod';

/**
 * The wire format of the original service (snake_case). These schemas validate requests and
 * generate the OpenAPI document, so the two cannot disagree. They check shape and types only:
 * value rules (script length, platform names, language tags, ranges) are the core's, so one 422
 * names every field at fault, reported with these names. `meta` carries those rules into the
 * OpenAPI document.
 */
/** A number, also from a numeric string (`"15"`), as the original's pydantic models accepted. */
const numeric = () => z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v), z.number());

export const videoRequestSchema = z
  .looseObject({
    script_id: z.string().max(200).optional().describe('Caller reference, echoed back on the job'),
    user_id: z.string().optional().describe('Owner, when auth is off (with auth on, the token decides)'),
    title: z.string().optional(),
    script_content: z.string().describe('The narration script; blank lines separate paragraphs'),
    language: z.string().optional().describe('BCP-47 tag, default en-US'),
    platform: z.string().optional().describe('youtube | tiktok | shorts | reels | instagram'),
    duration: numeric().optional().meta({ minimum: 1, maximum: 3600 }).describe('Target length in seconds, a pacing hint'),
    voice_provider: z.string().max(64).optional().describe('TTS provider; unconfigured ones fall back to the default with a warning'),
    voice: z.string().optional().describe('Provider-specific voice'),
    style: z.string().optional().describe('Slide theme'),
  })
  .describe('What to render');

export const createJobSchema = z.object({
  video_request: videoRequestSchema,
  priority: numeric().optional().meta({ minimum: 1, maximum: 10 }).describe('1-10, higher runs sooner (default 5)'),
  webhook_url: z.string().optional().describe('POSTed a signed Standard Webhooks event when the job finishes'),
  idempotency_key: z.string().optional().describe('Same key, same user: the existing job is returned'),
  metadata: z.record(z.string(), z.string()).optional().describe('Your own string labels, stored and returned on the job (at most 20)'),
});

export const batchSchema = z.object({
  jobs: z.array(z.unknown()).min(1).max(100).describe('Up to 100 create-job bodies, each validated on its own'),
});

const intParam = (min: number, max: number) => z.coerce.number().int().min(min).max(max);


export const listQuerySchema = z.object({
  user_id: z.string().min(1).max(200).optional(),
  status: z.enum(JOB_STATUSES).optional(),
  page: intParam(1, 1_000_000).optional(),
  page_size: intParam(1, 100).optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(['newest', 'oldest']).optional(),
});

export const summaryQuerySchema = z.object({
  window_hours: z.coerce.number().min(0.01).max(24 * 365).optional().describe('Jobs created in the last N hours (default 24)'),
});

/** A job template's body: shape only; the template store checks values and names each field at fault. */
const optionalText = () => z.string().nullish().transform((v) => v ?? undefined);
/**
 * A job template's body: shape only; the template store checks values and names each field at
 * fault. `null` means absent, and the fields of a template as read (`template_id`, timestamps)
 * are ignored, so a client can GET, edit and PUT it back.
 */
export const templateBodySchema = z
  .object({
    name: z.string().describe('Unique per user (case-insensitive), 1-100 characters'),
    title: optionalText(),
    voice: optionalText(),
    voice_provider: optionalText(),
    platform: optionalText().describe('youtube | tiktok | shorts | reels | instagram'),
    style: optionalText(),
    language: optionalText().describe('BCP-47 tag'),
    user_id: z.string().min(1).max(200).optional().describe('Owner, when auth is off (with auth on, the token decides)'),
  })
  .describe('A saved preset of render settings');

export const templateQuerySchema = z.object({
  user_id: z.string().min(1).max(200).optional(),
});

export type CreateJobBody = z.infer<typeof createJobSchema>;
