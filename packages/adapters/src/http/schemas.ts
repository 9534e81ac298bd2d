import { CAPTION_POSITIONS, JOB_STATUSES, KEN_BURNS_DIRECTIONS, RENDER_QUALITIES, TRANSITIONS } from '@scriptsensei/core';
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

const flag = () => z.boolean().optional();
const ranged = (minimum: number, maximum: number) => numeric().optional().meta({ minimum, maximum });
const oneOf = (values: readonly string[]) => z.string().optional().meta({ enum: [...values] });

const captionsSchema = z
  .strictObject({
    burn_in: flag().describe('Draw the captions into the picture (default true); the SRT and WebVTT files are written either way'),
    word_highlight: flag().describe('Highlight each word as it is spoken (default on for tiktok, shorts, reels)'),
    max_chars_per_line: ranged(10, 80).describe('Longest line in characters (default 42 landscape, 32 square, 24 portrait)'),
    max_lines: ranged(1, 3).describe('Lines per cue (default 2)'),
    style: z
      .strictObject({
        font: z.string().optional().describe('Font family; scripts it lacks fall back to the bundled fonts'),
        size: ranged(2, 15).describe('Text height, % of the shorter side'),
        color: z.string().optional().describe('#rrggbb'),
        highlight_color: z.string().optional().describe('#rrggbb, the word being spoken'),
        outline_color: z.string().optional().describe('#rrggbb'),
        outline: ranged(0, 10).describe('Outline width in pixels at 1080p'),
        background: flag().describe('A translucent box behind the text'),
        position: oneOf(CAPTION_POSITIONS),
      })
      .optional(),
  })
  .describe('Caption options');

const motionSchema = z
  .strictObject({
    ken_burns: z
      .union([z.boolean(), z.strictObject({ direction: oneOf(KEN_BURNS_DIRECTIONS), amount: ranged(0.02, 0.3).describe('Zoom or pan over a scene, fraction of the picture') })])
      .optional()
      .describe('A slow zoom or pan over each scene'),
    transition: oneOf(TRANSITIONS),
    transition_seconds: ranged(0.1, 2).describe('Length of each transition (default 0.5)'),
  })
  .describe('Movement and transitions; the narration keeps its timing');

const musicSchema = z
  .strictObject({
    source: z.string().describe('A storage key or an http(s) URL of the track'),
    volume_db: ranged(-40, 0).describe('Level where nobody speaks, relative to the narration (default -12)'),
    duck_db: ranged(0, 40).describe('Extra attenuation under the voice (default 12)'),
    fade_out_seconds: ranged(0, 10).describe('Fade-out at the end (default 2)'),
  })
  .describe('A background track, looped and ducked under the voice');

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
    captions: z.union([z.boolean(), captionsSchema]).optional().describe('Captions timed from the narration: true for the defaults, or options'),
    motion: motionSchema.optional(),
    music: musicSchema.optional(),
    quality: oneOf(RENDER_QUALITIES).describe('standard (default) or preview: a fast 360p draft'),
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

export const healthQuerySchema = z.object({
  probe: z
    .enum(['readiness', 'liveness'])
    .optional()
    .describe('readiness (default) checks the store, queue, workers, ffmpeg and TTS; liveness only that the process answers'),
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
export type WireCaptions = z.infer<typeof captionsSchema>;
export type WireMotion = z.infer<typeof motionSchema>;
export type WireMusic = z.infer<typeof musicSchema>;
