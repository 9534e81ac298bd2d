import { JOB_STATUSES, RENDER_QUALITIES } from '@scriptsensei/core';

/**
 * JSON Schemas (OpenAPI 3.1 dialect) of what the job API answers, and the examples the reference
 * shows. Requests are described from the zod schemas that validate them (openapi.ts); answers
 * are built by plain functions (wire-format.ts, templates-api.ts, …), so they are described
 * here, and a test validates real answers against these schemas to keep the two in step.
 */

const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const text = { type: 'string' };
const integer = { type: 'integer' };
const number = { type: 'number' };
const bool = { type: 'boolean' };
const timestamp = { type: 'string', format: 'date-time' };
const url = { type: 'string', description: 'An absolute URL; signed (it opens without a token) when auth is on' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, object>, required = Object.keys(properties), description?: string) => ({
  type: 'object',
  ...(description && { description }),
  properties,
  required,
});

const fieldIssue = object({ field: { type: 'string', description: 'The wire name of the field, e.g. `video_request.script_content`' }, message: text });

const jobResult = object(
  {
    video_url: url,
    video_key: { type: 'string', description: 'The video\'s key in storage' },
    video_path: { type: 'string', description: 'The same key, under the original service\'s name' },
    duration: { type: 'number', description: 'Seconds' },
    size_bytes: integer,
    width: integer,
    height: integer,
    fps: number,
    platform: text,
    language: text,
    scenes: {
      type: 'array',
      items: object({ index: integer, text, start: number, duration: number, audio_seconds: number }),
    },
    quality: { type: 'string', enum: [...RENDER_QUALITIES] },
    srt_url: nullable(url),
    vtt_url: nullable(url),
    caption_cues: nullable({ type: 'array', items: { type: 'object' } }),
    thumbnail_url: nullable(url),
    hls_url: nullable(url),
    loudness: nullable(object({ integrated_lufs: number, true_peak_db: number })),
  },
  undefined,
  'The finished video',
);

const jobError = object(
  { code: { type: 'string', description: 'VALIDATION, PROVIDER, RENDER, CANCELLED, …' }, message: text, retryable: bool, fields: { type: 'array', items: ref('FieldIssue') } },
  ['code', 'message', 'retryable'],
  'Why the job failed',
);

const job = object(
  {
    job_id: text,
    user_id: nullable(text),
    status: { type: 'string', enum: [...JOB_STATUSES] },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    stage: nullable(text),
    message: nullable(text),
    priority: integer,
    attempts: integer,
    max_attempts: integer,
    result: nullable(ref('JobResult')),
    error: nullable(ref('JobError')),
    warnings: { type: 'array', items: text },
    script_id: nullable(text),
    metadata: { type: 'object', additionalProperties: text },
    video_request: { type: 'object', description: 'What is rendered, in the create body\'s names' },
    hls_url: nullable({ ...url, description: 'The live stream while the job renders, then the finished one' }),
    eta_seconds: nullable(number),
    created_at: timestamp,
    updated_at: timestamp,
    started_at: nullable(timestamp),
    finished_at: nullable(timestamp),
    next_attempt_at: nullable(timestamp),
    worker_id: nullable(text),
  },
  ['job_id', 'status', 'progress', 'priority', 'attempts', 'max_attempts', 'result', 'error', 'warnings', 'video_request', 'created_at', 'updated_at'],
  'A video job, in the original service\'s snake_case',
);

const errorDetail = object({ code: text, message: text, fields: { type: 'array', items: ref('FieldIssue') }, retryable: bool }, ['code', 'message', 'retryable']);

const errorBody = object(
  {
    error: errorDetail,
    detail: {
      description: 'The FastAPI shape the original\'s clients parse: the message, or one entry per field at fault',
      oneOf: [text, { type: 'array', items: object({ loc: { type: 'array', items: text }, msg: text, type: text }) }],
    },
  },
  undefined,
  'Every error answer',
);

const statusCounts = Object.fromEntries(JOB_STATUSES.map((s) => [s, integer]));

const template = object({
  template_id: text,
  user_id: nullable(text),
  name: text,
  title: nullable(text),
  voice: nullable(text),
  voice_provider: nullable(text),
  platform: nullable(text),
  style: nullable(text),
  language: nullable(text),
  created_at: timestamp,
  updated_at: timestamp,
});

const exampleJob = {
  job_id: '0b9c6f1e-5a7d-4f3e-9a51-2f6c8d7e1a42',
  user_id: 'user-456',
  status: 'success',
  progress: 1,
  stage: 'stored',
  message: 'Video ready',
  priority: 5,
  attempts: 1,
  max_attempts: 3,
  result: {
    video_url: 'https://videos.example.org/api/v1/jobs/0b9c6f1e-5a7d-4f3e-9a51-2f6c8d7e1a42/video',
    video_key: 'videos/0b9c6f1e-5a7d-4f3e-9a51-2f6c8d7e1a42.mp4',
    video_path: 'videos/0b9c6f1e-5a7d-4f3e-9a51-2f6c8d7e1a42.mp4',
    duration: 7.4,
    size_bytes: 412_345,
    width: 1920,
    height: 1080,
    fps: 30,
    platform: 'youtube',
    language: 'en-US',
    scenes: [{ index: 0, text: 'Welcome to ScriptSensei.', start: 0, duration: 7.4, audio_seconds: 6.9 }],
    quality: 'standard',
    srt_url: null,
    vtt_url: null,
    caption_cues: null,
    thumbnail_url: 'https://videos.example.org/api/v1/jobs/0b9c6f1e-5a7d-4f3e-9a51-2f6c8d7e1a42/thumbnail.jpg',
    hls_url: null,
    loudness: { integrated_lufs: -16, true_peak_db: -2.5 },
  },
  error: null,
  warnings: [],
  script_id: 'abc-123',
  metadata: { script_id: 'abc-123' },
  video_request: { script_content: 'Welcome to ScriptSensei.', title: 'My Video', language: 'en-US', platform: 'youtube' },
  hls_url: null,
  eta_seconds: null,
  created_at: '2026-11-29T10:00:00.000Z',
  updated_at: '2026-11-29T10:00:04.000Z',
  started_at: '2026-11-29T10:00:00.050Z',
  finished_at: '2026-11-29T10:00:04.000Z',
  next_attempt_at: null,
  worker_id: 'api-1:4711',
};

/** The same job as `POST /jobs/` answers it: queued, nothing run yet. */
const pendingJob = {
  ...exampleJob,
  status: 'pending',
  progress: 0,
  stage: undefined,
  message: undefined,
  attempts: 0,
  result: null,
  updated_at: exampleJob.created_at,
  started_at: null,
  finished_at: null,
  worker_id: null,
};

/** Request and answer examples shown by the reference (and checked against the schemas by a test). */
export const EXAMPLES = {
  createJob: {
    video_request: {
      script_id: 'abc-123',
      user_id: 'user-456',
      title: 'My Video',
      script_content: 'Welcome to ScriptSensei.\n\nTurn any script into a narrated video.',
      language: 'en-US',
      platform: 'youtube',
      duration: 30,
      voice_provider: 'espeak',
    },
    priority: 5,
  },
  job: exampleJob,
  pendingJob,
  validationError: {
    error: {
      code: 'VALIDATION',
      message: 'Invalid request: video_request.script_content: must not be empty',
      fields: [{ field: 'video_request.script_content', message: 'must not be empty' }],
      retryable: false,
    },
    detail: [{ loc: ['body', 'video_request', 'script_content'], msg: 'must not be empty', type: 'value_error' }],
  },
  template: {
    name: 'Weekly update',
    title: 'This week at Acme',
    platform: 'youtube',
    language: 'en-US',
  },
};

/** `components.schemas` of the OpenAPI document (requests are added from zod by openapi.ts). */
export const RESPONSE_SCHEMAS = {
  FieldIssue: fieldIssue,
  Error: errorBody,
  Job: { ...job, examples: [exampleJob] },
  JobResult: jobResult,
  JobError: jobError,
  JobPage: object({ jobs: { type: 'array', items: ref('Job') }, total: integer, page: integer, page_size: integer }),
  BatchResult: object({
    created: integer,
    failed: integer,
    results: {
      type: 'array',
      items: object(
        { index: integer, status: { type: 'integer', description: '202 when created, else the status the item alone would have had' }, job: ref('Job'), error: errorDetail },
        ['index', 'status'],
      ),
    },
  }),
  JobCounts: object({ ...statusCounts, total: integer }),
  JobSummary: object({
    window_hours: number,
    total: integer,
    success: integer,
    failure: integer,
    cancelled: integer,
    active: integer,
    success_rate: nullable(number),
    render_seconds: object({ p50: nullable(number), p95: nullable(number), count: integer }, undefined, 'Render durations in seconds of the successful jobs'),
  }),
  Health: object({
    status: { type: 'string', enum: ['healthy', 'unhealthy'] },
    checks: { type: 'object', additionalProperties: object({ ok: bool, error: text }, ['ok']) },
    workers: {
      type: 'array',
      items: object({ id: text, hostname: text, pid: integer, concurrency: integer, running: integer, seen_at: timestamp }),
    },
  }),
  Providers: object({
    tts: {
      type: 'array',
      items: object(
        {
          id: text,
          default: bool,
          word_timings: bool,
          voices: nullable({ type: 'array', items: object({ id: text, name: text, languages: { type: 'array', items: text } }) }),
          voices_error: text,
        },
        ['id', 'default', 'word_timings', 'voices'],
      ),
    },
    images: object({ id: text, specification_version: text }),
    storage: object({ id: text }),
  }),
  Template: template,
  TemplateList: object({ templates: { type: 'array', items: ref('Template') } }),
};
