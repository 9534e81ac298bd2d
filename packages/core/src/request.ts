import { z } from 'zod';
import { REQUEST_DEFAULTS } from './defaults.js';
import { ValidationError, type FieldIssue } from './errors.js';
import { PLATFORMS, type Platform } from './platforms.js';
import { assertSafeKey } from './storage-key.js';

/** What a caller asks the pipeline to render. */
export interface RenderRequest {
  /** The narration script. Blank lines separate paragraphs. */
  script: string;
  /** Shown on the scene cards. */
  title?: string;
  /** BCP-47 language tag of the script. @defaultValue 'en-US' */
  language?: string;
  /** Output preset (resolution). @defaultValue 'youtube' */
  platform?: Platform;
  /** TTS voice, provider-specific. @defaultValue the provider's default for `language` */
  voice?: string;
  /**
   * Which of the pipeline's TTS providers narrates, by id (`azure`, `google`, `openai`,
   * `elevenlabs`, `espeak`…): the pipeline's `tts` or one of its `voices`.
   * @defaultValue the pipeline's `tts`
   */
  voiceProvider?: string;
  /** Image style or theme, provider-specific. */
  style?: string;
  /** Storage key of the finished video. @defaultValue `videos/<random id>.mp4` */
  outputKey?: string;
  /**
   * Desired length in seconds (1–3600), a pacing hint: when the narration is shorter, scenes
   * hold a little longer after their words (at most 1.5 s each); narration is never cut.
   */
  targetDurationSeconds?: number;
  /**
   * Captions timed from the narration: burned into the picture (libass) and stored as SRT and
   * WebVTT sidecars. `true` takes every default; an object tunes them.
   * @defaultValue false
   */
  captions?: boolean | CaptionOptions;
  /** Ken Burns movement per scene and transitions between scenes. @defaultValue no motion */
  motion?: MotionOptions;
  /** A background track looped under the narration, ducked while the voice speaks. */
  music?: MusicOptions;
  /**
   * `preview` renders a fast draft (360p, fastest encoder settings, no live stream); `standard`
   * the deliverable at the platform's size.
   * @defaultValue 'standard'
   */
  quality?: RenderQuality;
}

export const RENDER_QUALITIES = ['standard', 'preview'] as const;
export type RenderQuality = (typeof RENDER_QUALITIES)[number];
export const CAPTION_POSITIONS = ['bottom', 'middle', 'top'] as const;
export const KEN_BURNS_DIRECTIONS = ['auto', 'in', 'out', 'left', 'right', 'up', 'down'] as const;
export const TRANSITIONS = ['none', 'crossfade', 'slide'] as const;

/** How burned-in captions look. Colours are `#rrggbb`. Defaults live in `CAPTION_DEFAULTS`. */
export interface CaptionStyle {
  /** Font family of the caption text; scripts it lacks fall back to the bundled fonts. */
  font?: string;
  /** Text height as a percentage of the video's shorter side (2–15). */
  size?: number;
  color?: string;
  /** Colour of the word being spoken, when `wordHighlight` is on. */
  highlightColor?: string;
  outlineColor?: string;
  /** Outline width in pixels at 1080p (0–10). */
  outline?: number;
  /** Draw a translucent box behind the text instead of relying on the outline alone. */
  background?: boolean;
  position?: (typeof CAPTION_POSITIONS)[number];
}

export interface CaptionOptions {
  /** Draw the captions into the picture; the SRT and WebVTT sidecars are written either way. @defaultValue true */
  burnIn?: boolean;
  /** Highlight each word as it is spoken. @defaultValue true for tiktok, shorts and reels; false otherwise */
  wordHighlight?: boolean;
  /** Longest caption line, in characters (10–80). @defaultValue 42 landscape, 32 square, 24 portrait */
  maxCharsPerLine?: number;
  /** Lines per cue (1–3). @defaultValue 2 */
  maxLines?: number;
  style?: CaptionStyle;
}

export interface KenBurnsOptions {
  /** `auto` alternates zoom in, pan and zoom out from scene to scene. @defaultValue 'auto' */
  direction?: (typeof KEN_BURNS_DIRECTIONS)[number];
  /** How far the picture zooms or pans over a scene, as a fraction of its size (0.02–0.3). @defaultValue 0.08 */
  amount?: number;
}

export interface MotionOptions {
  /** A slow zoom or pan over each scene's picture. @defaultValue false */
  kenBurns?: boolean | KenBurnsOptions;
  /** How one scene gives way to the next; the narration stays where it is. @defaultValue 'none' */
  transition?: (typeof TRANSITIONS)[number];
  /** Length of each transition in seconds (0.1–2), centred on the scene boundary. @defaultValue 0.5 */
  transitionSeconds?: number;
}

export interface MusicOptions {
  /** A storage key or an http(s) URL of the track (any format ffmpeg reads). */
  source: string;
  /** Level where nobody speaks, relative to the narration, in dB (-40–0). @defaultValue -12 */
  volumeDb?: number;
  /** Extra attenuation while the voice speaks, in dB (0–40). @defaultValue 12 */
  duckDb?: number;
  /** Fade-out at the end of the video, seconds (0–10). @defaultValue 2 */
  fadeOutSeconds?: number;
}

/** A request after validation, with defaults applied. */
export interface ResolvedRenderRequest extends RenderRequest {
  language: string;
  platform: Platform;
  quality: RenderQuality;
}

const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
const NAME = /^[\w.+-]{1,64}$/;

const schemas = new Map<number, ReturnType<typeof buildRequestSchema>>();

/** The request schema for a script limit, built once per limit (building one costs far more than using it). */
function requestSchema(maxScriptCharacters: number) {
  let schema = schemas.get(maxScriptCharacters);
  if (!schema) schemas.set(maxScriptCharacters, (schema = buildRequestSchema(maxScriptCharacters)));
  return schema;
}

function buildRequestSchema(maxScriptCharacters: number) {
  return z.object({
    script: z
      .string({ error: 'must be a string' })
      .refine((s) => s.trim().length > 0, 'must contain some text')
      .superRefine((s, ctx) => {
        if (s.length > maxScriptCharacters) {
          ctx.addIssue({
            code: 'custom',
            message: `is ${s.length} characters; the limit is ${maxScriptCharacters} (split the script or raise maxScriptCharacters)`,
          });
        }
      }),
    title: z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters').optional(),
    // Lenient where clients commonly differ: `en_US` and `YouTube` mean `en-US` and `youtube`.
    language: z
      .preprocess((v) => (typeof v === 'string' ? v.replaceAll('_', '-') : v), z.string({ error: 'must be a string' }))
      .pipe(z.string().regex(LANGUAGE_TAG, 'must be a language tag such as en-US'))
      .optional(),
    platform: z
      .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(', ')}` }))
      .optional(),
    voice: z.string({ error: 'must be a string' }).regex(NAME, 'must be 1-64 letters, digits or . _ + -').optional(),
    voiceProvider: z
      .preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.string({ error: 'must be a string' }))
      .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a provider id such as azure or espeak'))
      .optional(),
    style: z.string({ error: 'must be a string' }).regex(NAME, 'must be 1-64 letters, digits or . _ + -').optional(),
    outputKey: z.string({ error: 'must be a string' }).optional(),
    targetDurationSeconds: z
      .number({ error: 'must be a number of seconds' })
      .min(1, 'must be between 1 and 3600 seconds')
      .max(3600, 'must be between 1 and 3600 seconds')
      .optional(),
    // `true` is every default, `false` none: both become the object form (or nothing) before the
    // object is checked, so a bad nested value is reported at its own path.
    captions: z.preprocess((v) => (v === true ? {} : v === false ? undefined : v), captionsSchema.optional()),
    motion: motionSchema.optional(),
    music: musicSchema.optional(),
    quality: z.enum(RENDER_QUALITIES, { error: `must be one of ${RENDER_QUALITIES.join(', ')}` }).optional(),
  });
}

const COLOR = /^#[0-9a-fA-F]{6}$/;
const color = () => z.string({ error: 'must be a #rrggbb colour' }).regex(COLOR, 'must be a #rrggbb colour').optional();
/** A number within [min, max], with a message that names the range. */
const ranged = (min: number, max: number, unit = '') => {
  const message = `must be a number from ${min} to ${max}${unit}`;
  return z.number({ error: message }).min(min, message).max(max, message).optional();
};
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional();

const captionsSchema = z.strictObject(
  {
  burnIn: z.boolean({ error: 'must be true or false' }).optional(),
  wordHighlight: z.boolean({ error: 'must be true or false' }).optional(),
  maxCharsPerLine: z.number({ error: 'must be a whole number from 10 to 80' }).int('must be a whole number from 10 to 80').min(10, 'must be a whole number from 10 to 80').max(80, 'must be a whole number from 10 to 80').optional(),
  maxLines: z.number({ error: 'must be 1, 2 or 3' }).int('must be 1, 2 or 3').min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3').optional(),
  style: z
    .strictObject({
      font: z.string({ error: 'must be a font family name' }).regex(/^[\w .+-]{1,64}$/, 'must be a font family name (letters, digits, spaces, . _ + -)').optional(),
      size: ranged(2, 15, ' (% of the shorter side)'),
      color: color(),
      highlightColor: color(),
      outlineColor: color(),
      outline: ranged(0, 10, ' pixels'),
      background: z.boolean({ error: 'must be true or false' }).optional(),
      position: oneOf(CAPTION_POSITIONS),
    })
    .optional(),
  },
  { error: 'must be true, false or an object of caption options' },
);

const motionSchema = z.strictObject({
  kenBurns: z.preprocess(
    (v) => (v === true ? {} : v === false ? undefined : v),
    z.strictObject({ direction: oneOf(KEN_BURNS_DIRECTIONS), amount: ranged(0.02, 0.3) }, { error: 'must be true, false or { direction, amount }' }).optional(),
  ),
  transition: oneOf(TRANSITIONS),
  transitionSeconds: ranged(0.1, 2, ' seconds'),
});

const musicSchema = z.strictObject({
  source: z
    .string({ error: 'must be a storage key or an http(s) URL' })
    .min(1, 'must be a storage key or an http(s) URL')
    .max(2048, 'must be at most 2048 characters'),
  volumeDb: ranged(-40, 0, ' dB'),
  duckDb: ranged(0, 40, ' dB'),
  fadeOutSeconds: ranged(0, 10, ' seconds'),
});

/**
 * Validates a render request and applies defaults. Throws a {@link ValidationError} naming
 * every field at fault; never throws anything else for bad input.
 */
export function resolveRenderRequest(input: unknown, maxScriptCharacters: number): ResolvedRenderRequest {
  const parsed = requestSchema(maxScriptCharacters).safeParse(input);
  if (!parsed.success) {
    const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({
      field: issue.path.length ? issue.path.join('.') : 'request',
      message: issue.path.length || issue.code !== 'invalid_type' ? issue.message : 'must be an object',
    }));
    throw new ValidationError(issues);
  }
  const request = parsed.data;
  if (request.outputKey !== undefined) assertSafeKey(request.outputKey, 'outputKey');
  if (request.music && !/^https?:\/\//i.test(request.music.source)) assertSafeKey(request.music.source, 'music.source');
  return {
    ...request,
    language: request.language ?? REQUEST_DEFAULTS.language,
    platform: request.platform ?? REQUEST_DEFAULTS.platform,
    quality: request.quality ?? REQUEST_DEFAULTS.quality,
  };
}
