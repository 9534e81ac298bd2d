import type { FieldIssue, JobRecord, RenderRequest, SubmitOptions } from '@scriptsensei/core';
import type { CreateJobBody } from './schemas.js';

/** Core request/option fields and their names on the wire, for error reports. */
const WIRE_FIELDS: Record<string, string> = {
  script: 'video_request.script_content',
  title: 'video_request.title',
  language: 'video_request.language',
  platform: 'video_request.platform',
  voice: 'video_request.voice',
  style: 'video_request.style',
  targetDurationSeconds: 'video_request.duration',
  userId: 'video_request.user_id',
  priority: 'priority',
  webhookUrl: 'webhook_url',
  idempotencyKey: 'idempotency_key',
};

export function wireField(field: string): string {
  return WIRE_FIELDS[field] ?? field;
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
  if (v.style !== undefined) request.style = v.style;
  if (v.duration !== undefined) request.targetDurationSeconds = v.duration;
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
    ...(r.style !== undefined && { style: r.style }),
    ...(r.targetDurationSeconds !== undefined && { duration: r.targetDurationSeconds }),
  };
}

/** A job as the original API returned it, snake_case, plus the fields we added. */
export function toWire(job: JobRecord, videoUrl: (job: JobRecord) => string) {
  const result = job.result && {
    video_url: videoUrl(job),
    video_key: job.result.key,
    // The original's front end read `video_path`.
    video_path: job.result.key,
    duration: job.result.durationSeconds,
    size_bytes: job.result.sizeBytes,
    width: job.result.width,
    height: job.result.height,
    fps: job.result.fps,
    platform: job.result.platform,
    language: job.result.language,
    scenes: job.result.scenes.map((s) => ({ index: s.index, text: s.text, start: s.startSeconds, duration: s.durationSeconds, audio_seconds: s.audioSeconds })),
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
