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
  /** Image style or theme, provider-specific. */
  style?: string;
  /** Storage key of the finished video. @defaultValue `videos/<random id>.mp4` */
  outputKey?: string;
  /**
   * Desired length in seconds (1–3600), a pacing hint: when the narration is shorter, scenes
   * hold a little longer after their words (at most 1.5 s each); narration is never cut.
   */
  targetDurationSeconds?: number;
}

/** A request after validation, with defaults applied. */
export interface ResolvedRenderRequest extends RenderRequest {
  language: string;
  platform: Platform;
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
    style: z.string({ error: 'must be a string' }).regex(NAME, 'must be 1-64 letters, digits or . _ + -').optional(),
    outputKey: z.string({ error: 'must be a string' }).optional(),
    targetDurationSeconds: z
      .number({ error: 'must be a number of seconds' })
      .min(1, 'must be between 1 and 3600 seconds')
      .max(3600, 'must be between 1 and 3600 seconds')
      .optional(),
  });
}

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
  return {
    ...request,
    language: request.language ?? REQUEST_DEFAULTS.language,
    platform: request.platform ?? REQUEST_DEFAULTS.platform,
  };
}
