import type { JobStatus, JobTemplateInput, RenderRequest, VideoJob, VideoJobSubmitOptions } from './types.js';

// The client's view of the job API's snake_case wire format (the original service's names).
// A test compares it with the server's `toWire` in both directions, so the two cannot drift.

export interface WireVideoRequest {
  script_content: string;
  title?: string;
  language?: string;
  platform?: string;
  voice?: string;
  style?: string;
  duration?: number;
  script_id?: string;
  user_id?: string;
  voice_provider?: string;
  captions?: boolean | WireCaptions;
  motion?: WireMotion;
  music?: WireMusic;
  quality?: string;
}

/** The core's `CaptionOptions` in snake_case. */
export interface WireCaptions {
  burn_in?: boolean;
  word_highlight?: boolean;
  max_chars_per_line?: number;
  max_lines?: number;
  style?: { font?: string; size?: number; color?: string; highlight_color?: string; outline_color?: string; outline?: number; background?: boolean; position?: string };
}

/** The core's `MotionOptions` in snake_case. */
export interface WireMotion {
  ken_burns?: boolean | { direction?: string; amount?: number };
  transition?: string;
  transition_seconds?: number;
}

/** The core's `MusicOptions` in snake_case. */
export interface WireMusic {
  source: string;
  volume_db?: number;
  duck_db?: number;
  fade_out_seconds?: number;
}

export interface WireScene {
  index: number;
  text: string;
  start: number;
  duration: number;
  audio_seconds: number;
}

export interface WireResult {
  video_url: string;
  video_key: string;
  video_path: string;
  duration: number;
  size_bytes: number;
  width: number;
  height: number;
  fps: number;
  platform: string;
  language: string;
  scenes: WireScene[];
  quality: string;
  srt_url: string | null;
  vtt_url: string | null;
  caption_cues: number | null;
  thumbnail_url: string | null;
  hls_url: string | null;
  loudness: { integrated_lufs: number; true_peak_db: number } | null;
}

export interface WireError {
  code: string;
  message: string;
  retryable: boolean;
  fields?: { field: string; message: string }[];
}

export interface WireJob {
  job_id: string;
  user_id: string;
  status: JobStatus;
  progress: number;
  stage: VideoJob['stage'];
  message: string;
  priority: number;
  attempts: number;
  max_attempts: number;
  result: WireResult | null;
  error: WireError | null;
  warnings: string[];
  script_id: string | null;
  metadata: Record<string, string>;
  video_request: WireVideoRequest;
  hls_url: string | null;
  eta_seconds: number | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  next_attempt_at: string | null;
  worker_id: string | null;
}

export interface WireTemplate {
  template_id: string;
  user_id: string;
  name: string;
  title: string | null;
  voice: string | null;
  voice_provider: string | null;
  platform: string | null;
  style: string | null;
  language: string | null;
  created_at: string;
  updated_at: string;
}

/** Wire names that are not the camelCase of the core's name. */
const RENAMES: Record<string, string> = {
  job_id: 'id',
  template_id: 'id',
  video_request: 'request',
  script_content: 'script',
  video_url: 'url',
  video_key: 'key',
  fields: 'issues',
  start: 'startSeconds',
};

/**
 * A wire answer in the core's camelCase shapes: names converted (see `RENAMES`; `duration` is
 * `targetDurationSeconds` in a request, `durationSeconds` elsewhere), `null` left out as absent,
 * the original's aliases (`video_path`, top-level `script_id`) dropped, and the caller's own
 * `metadata` keys kept as they are. One converter for every answer keeps the client small; the
 * wire-format test checks it against the server's `toWire` field by field.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromWire(value: unknown, parent = ''): any {
  if (Array.isArray(value)) return value.map((item) => fromWire(item, parent));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || key === 'video_path' || (key === 'script_id' && 'job_id' in value)) continue;
    const name = key === 'duration' ? (parent === 'video_request' ? 'targetDurationSeconds' : 'durationSeconds') : (RENAMES[key] ?? key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()));
    out[name] = key === 'metadata' ? item : fromWire(item, key);
  }
  return out;
}

/**
 * camelCase keys to the wire's snake_case, in nested objects too (the request's option groups),
 * except inside `metadata`, whose keys are the caller's own.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const snake = (value: object): Record<string, any> =>
  Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replace(/[A-Z]/g, '_$&').toLowerCase(), Object(item) === item && key != 'metadata' ? snake(item) : item]));

/** The create-job body for a core request and submit options (undefined fields vanish in JSON). */
export function createBody({ script, targetDurationSeconds, outputKey: _serverDecides, ...rest }: RenderRequest, { userId, voiceProvider, ...options }: VideoJobSubmitOptions = {}) {
  return {
    // The provider may be named on the request (as the core has it) or, as before, in the options.
    video_request: snake({ ...rest, scriptContent: script, duration: targetDurationSeconds, userId, voiceProvider: voiceProvider ?? rest.voiceProvider }),
    // priority, webhook_url, idempotency_key, metadata
    ...snake(options),
  };
}

export const templateBody = (template: JobTemplateInput, userId: string | undefined) => snake({ ...template, userId });
