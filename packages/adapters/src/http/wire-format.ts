import type { FieldIssue, JobRecord, RenderRequest, SubmitOptions } from '@scriptsensei/core';
import type { CreateJobBody, WireCaptions, WireMotion, WireMusic } from './schemas.js';

/** Core request/option fields and their names on the wire, for error reports. */
const WIRE_FIELDS: Record<string, string> = {
  script: 'video_request.script_content',
  title: 'video_request.title',
  language: 'video_request.language',
  platform: 'video_request.platform',
  voice: 'video_request.voice',
  voiceProvider: 'video_request.voice_provider',
  style: 'video_request.style',
  targetDurationSeconds: 'video_request.duration',
  captions: 'video_request.captions',
  motion: 'video_request.motion',
  music: 'video_request.music',
  quality: 'video_request.quality',
  userId: 'video_request.user_id',
  priority: 'priority',
  webhookUrl: 'webhook_url',
  idempotencyKey: 'idempotency_key',
};

/** The request's option groups, whose fields are the core's names in snake_case on the wire. */
const OPTION_GROUPS = ['captions', 'motion', 'music'] as const;

const toSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const toCamel = (name: string) => name.replace(/_([a-z\d])/g, (_, c: string) => c.toUpperCase());

/** `value` with the keys of every nested object renamed (option groups hold no user-named keys). */
function renameKeys(value: unknown, rename: (name: string) => string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [rename(key), renameKeys(item, rename)]));
}

/** The wire name of a core field path, e.g. `captions.style.highlightColor` → `video_request.captions.style.highlight_color`. */
export function wireField(field: string): string {
  const [head = field, ...rest] = field.split('.');
  const top = WIRE_FIELDS[head];
  if (!top) return field;
  return [top, ...((OPTION_GROUPS as readonly string[]).includes(head) ? rest.map(toSnake) : rest)].join('.');
}

export function wireIssues(issues: FieldIssue[], prefix = ''): FieldIssue[] {
  return issues.map((issue) => ({ field: `${prefix}${wireField(issue.field)}`, message: issue.message }));
}

/** The core request and submit options a create-job body asks for. */
export function fromWire(body: CreateJobBody, userId: string | undefined): { request: RenderRequest; options: SubmitOptions } {
  const v = body.video_request;
  const request: RenderRequest = { script: v.script_content };
  if (v.title !== undefined) request.title = v.title;
  if (v.language !== undefined) request.language = v.language;
  if (v.platform !== undefined) request.platform = v.platform as RenderRequest['platform'];
  if (v.voice !== undefined) request.voice = v.voice;
  if (v.voice_provider !== undefined) request.voiceProvider = v.voice_provider.trim().toLowerCase();
  if (v.style !== undefined) request.style = v.style;
  if (v.duration !== undefined) request.targetDurationSeconds = v.duration;
  for (const group of OPTION_GROUPS) if (v[group] !== undefined) Object.assign(request, { [group]: renameKeys(v[group], toCamel) });
  if (v.quality !== undefined) request.quality = v.quality as RenderRequest['quality'];
  const options: SubmitOptions = {};
  const owner = userId ?? v.user_id;
  if (owner !== undefined) options.userId = owner;
  if (body.priority !== undefined) options.priority = body.priority;
  if (body.webhook_url !== undefined) options.webhookUrl = body.webhook_url;
  if (body.idempotency_key !== undefined) options.idempotencyKey = body.idempotency_key;
  if (body.metadata !== undefined || v.script_id !== undefined) {
    options.metadata = { ...body.metadata, ...(v.script_id !== undefined && { script_id: v.script_id }) };
  }
  return { request, options };
}

/** The request a job renders, in the create body's names (absent fields left out). */
function requestToWire(r: RenderRequest) {
  return {
    script_content: r.script,
    ...(r.title !== undefined && { title: r.title }),
    ...(r.language !== undefined && { language: r.language }),
    ...(r.platform !== undefined && { platform: r.platform }),
    ...(r.voice !== undefined && { voice: r.voice }),
    ...(r.voiceProvider !== undefined && { voice_provider: r.voiceProvider }),
    ...(r.style !== undefined && { style: r.style }),
    ...(r.targetDurationSeconds !== undefined && { duration: r.targetDurationSeconds }),
    ...(r.captions !== undefined && { captions: renameKeys(r.captions, toSnake) as boolean | WireCaptions }),
    ...(r.motion !== undefined && { motion: renameKeys(r.motion, toSnake) as WireMotion }),
    ...(r.music !== undefined && { music: renameKeys(r.music, toSnake) as WireMusic }),
    ...(r.quality !== undefined && { quality: r.quality }),
  };
}

/**
 * Where a client fetches a job's files: `file` is the route below `/jobs/{id}/` (`video`,
 * `captions.srt`, `captions.vtt`, `thumbnail.jpg`, `hls/index.m3u8`), the answer an absolute URL
 * (signed when auth is on).
 */
export type JobFileUrl = (job: JobRecord, file: string) => string;

/** The route below `/jobs/{id}/` of a stored HLS playlist. */
export const hlsRoute = (playlistKey: string) => `hls/${playlistKey.slice(playlistKey.lastIndexOf('/') + 1)}`;

/** A job as the original API returned it, snake_case, plus the fields we added. */
export function toWire(job: JobRecord, fileUrl: JobFileUrl) {
  const r = job.result;
  const result = r && {
    video_url: fileUrl(job, 'video'),
    video_key: r.key,
    // The original's front end read `video_path`.
    video_path: r.key,
    duration: r.durationSeconds,
    size_bytes: r.sizeBytes,
    width: r.width,
    height: r.height,
    fps: r.fps,
    platform: r.platform,
    language: r.language,
    scenes: r.scenes.map((s) => ({ index: s.index, text: s.text, start: s.startSeconds, duration: s.durationSeconds, audio_seconds: s.audioSeconds })),
    // Older records have no quality: they were all rendered at standard quality.
    quality: r.quality ?? 'standard',
    srt_url: r.captions ? fileUrl(job, 'captions.srt') : null,
    vtt_url: r.captions ? fileUrl(job, 'captions.vtt') : null,
    caption_cues: r.captions?.cues ?? null,
    thumbnail_url: r.thumbnail ? fileUrl(job, 'thumbnail.jpg') : null,
    hls_url: r.hls ? fileUrl(job, hlsRoute(r.hls.key)) : null,
    loudness: r.loudness ? { integrated_lufs: r.loudness.integratedLufs, true_peak_db: r.loudness.truePeakDb } : null,
  };
  const error = job.error && {
    code: job.error.code,
    message: job.error.message,
    retryable: job.error.retryable,
    ...(job.error.issues ? { fields: wireIssues(job.error.issues) } : {}),
  };
  return {
    job_id: job.id,
    user_id: job.userId,
    status: job.status,
    progress: job.progress,
    stage: job.stage,
    message: job.message,
    priority: job.priority,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    result: result ?? null,
    error: error ?? null,
    warnings: job.warnings ?? [],
    script_id: job.metadata?.script_id ?? null,
    metadata: job.metadata ?? {},
    video_request: requestToWire(job.request),
    // A player can start on the live stream while the job renders; once done, the finished one.
    hls_url: job.live && job.status === 'processing' ? fileUrl(job, hlsRoute(job.live.playlistKey)) : (result?.hls_url ?? null),
    eta_seconds: job.etaSeconds ?? null,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    started_at: job.startedAt ?? null,
    finished_at: job.finishedAt ?? null,
    next_attempt_at: job.nextAttemptAt ?? null,
    worker_id: job.workerId ?? null,
  };
}

export type WireJob = ReturnType<typeof toWire>;
