import { z } from 'zod';
import { EXAMPLES, RESPONSE_SCHEMAS } from './openapi-schemas.js';
import { batchSchema, createJobSchema, healthQuerySchema, listQuerySchema, summaryQuerySchema, templateBodySchema, templateQuerySchema } from './schemas.js';

const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (name: string, example?: unknown) => ({ required: true, content: { 'application/json': { schema: ref(name), ...(example !== undefined && { example }) } } });
const answer = (description: string, schema: string, example?: unknown) => ({
  description,
  content: { 'application/json': { schema: ref(schema), ...(example !== undefined && { example }) } },
});
const query = (schema: z.ZodObject) =>
  Object.entries(toSchema(schema).properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: false,
    schema: s,
    ...(typeof s === 'object' && s && 'description' in s && { description: s.description }),
  }));
const jobId = { name: 'job_id', in: 'path', required: true, schema: { type: 'string' }, description: 'The id `POST /jobs/` answered with' };
const templateId = { name: 'template_id', in: 'path', required: true, schema: { type: 'string' } };
/** With auth on, a file URL from the job carries these instead of needing the token. */
const signed = [
  { name: 'expires', in: 'query', required: false, schema: { type: 'string' }, description: 'Expiry (Unix seconds) of a signed link' },
  { name: 'signature', in: 'query', required: false, schema: { type: 'string' }, description: 'HMAC of the job id and expiry; opens every file of the job' },
];
const rangeHeader = { name: 'Range', in: 'header', required: false, schema: { type: 'string' }, description: 'A byte range, e.g. `bytes=0-1023`' };
const bytes = (contentType: string) => ({ [contentType]: { schema: { type: 'string', format: 'binary' } } });
const redirect = { description: 'Storage hands out URLs (S3, a CDN): a fresh one in `Location`', headers: { Location: { schema: { type: 'string' } } } };

/** The error answers, each in the `Error` shape. */
const problem = (description: string, headers?: object) => ({ description, content: { 'application/json': { schema: ref('Error') } }, ...(headers && { headers }) });
const RESPONSES = {
  BadRequest: problem('The body is not valid JSON (`BAD_JSON`)'),
  Unauthorized: problem('Auth is on and the bearer token is missing, unknown or expired (`UNAUTHORIZED`)'),
  NotFound: problem('No such job (or not the caller\'s), or no such file (`NOT_FOUND`)'),
  Conflict: problem('The job or template is not in a state that allows this (`CONFLICT`)'),
  TooLarge: problem('The body is larger than the limit (`TOO_LARGE`, default 1 MiB)'),
  Validation: {
    description: 'Invalid fields, each named with its wire path (`VALIDATION`)',
    content: { 'application/json': { schema: ref('Error'), example: EXAMPLES.validationError } },
  },
  RateLimited: problem('Too many jobs created by this user or client (`RATE_LIMITED`)', {
    'Retry-After': { description: 'Seconds until the budget allows another job', schema: { type: 'integer' } },
  }),
  RangeNotSatisfiable: problem('The byte range is outside the file'),
};
const use = (name: keyof typeof RESPONSES) => ({ $ref: `#/components/responses/${name}` });
/** Every route behind auth can answer 401. */
const authed = { '401': use('Unauthorized') };
const notFound = { ...authed, '404': use('NotFound') };

/** A file of the job: streamed with Range support, or a redirect to storage. */
const file = (operationId: string, summary: string, contentType: string) => ({
  get: {
    operationId,
    tags: ['Files'],
    summary,
    parameters: [jobId, ...signed, rangeHeader],
    responses: {
      '200': { description: summary, content: bytes(contentType) },
      '206': { description: 'The requested byte range', content: bytes(contentType) },
      '302': redirect,
      ...notFound,
      '416': use('RangeNotSatisfiable'),
    },
  },
});

/**
 * The OpenAPI 3.1 document of the job API. Requests are described from the zod schemas that
 * validate them and answers from `openapi-schemas.ts`; `serverUrl` is where the API is mounted
 * (a path such as `/api/v1` is resolved against the document's own URL).
 */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ScriptSensei job API',
      version: '1.0.0',
      description:
        'Script to narrated video, as background jobs: create a job, follow its progress (poll, or Server-Sent Events), then fetch the video. ' +
        'Paths and payloads are those of the original ScriptSensei service. With auth on, send `Authorization: Bearer <API key or JWT>`; file URLs in a job are signed and open without it.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl, description: 'This server' }],
    tags: [
      { name: 'Jobs', description: 'Create, follow, cancel and retry video jobs' },
      { name: 'Files', description: 'A finished job\'s video, captions, poster and HLS stream' },
      { name: 'Templates', description: 'Saved render presets per user' },
      { name: 'Service', description: 'Health, statistics and configuration' },
    ],
    security: [{ bearer: [] }, {}],
    paths: {
      '/jobs/': {
        post: {
          operationId: 'createJob',
          tags: ['Jobs'],
          summary: 'Create a video job',
          description: 'Answers at once with the pending job; rendering runs in the background. An `Idempotency-Key` header (or `idempotency_key`) returns the existing job for a repeated request.',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
          requestBody: jsonBody('CreateJob', EXAMPLES.createJob),
          responses: {
            '202': { ...answer('Job created', 'Job', EXAMPLES.pendingJob), headers: { Location: { schema: { type: 'string' }, description: 'The job\'s URL' } } },
            '400': use('BadRequest'),
            ...authed,
            '413': use('TooLarge'),
            '422': use('Validation'),
            '429': use('RateLimited'),
          },
        },
        get: {
          operationId: 'listJobs',
          tags: ['Jobs'],
          summary: 'List jobs, newest first by default',
          parameters: query(listQuerySchema),
          responses: { '200': answer('A page of jobs with the total', 'JobPage'), ...authed, '422': use('Validation') },
        },
      },
      '/jobs/batch': {
        post: {
          operationId: 'createJobs',
          tags: ['Jobs'],
          summary: 'Create up to 100 jobs, each validated on its own',
          requestBody: jsonBody('CreateJobs', { jobs: [EXAMPLES.createJob] }),
          responses: { '200': answer('One result per item, in order', 'BatchResult'), '400': use('BadRequest'), ...authed, '413': use('TooLarge'), '422': use('Validation'), '429': use('RateLimited') },
        },
      },
      '/jobs/stats/counts': {
        get: { operationId: 'countJobs', tags: ['Service'], summary: 'Jobs by status (the caller\'s own with auth on)', responses: { '200': answer('Counts', 'JobCounts'), ...authed } },
      },
      '/jobs/stats/summary': {
        get: {
          operationId: 'summarizeJobs',
          tags: ['Service'],
          summary: 'Success rate and render durations over a window',
          parameters: query(summaryQuerySchema),
          responses: { '200': answer('Summary', 'JobSummary'), ...authed, '422': use('Validation') },
        },
      },
      '/jobs/health': {
        get: {
          operationId: 'jobsHealth',
          tags: ['Service'],
          summary: 'Store, queue, event bus, workers seen, ffmpeg and TTS checks',
          security: [{}],
          parameters: query(healthQuerySchema),
          responses: { '200': answer('Healthy', 'Health'), '422': use('Validation'), '503': answer('Unhealthy: `checks` says what failed', 'Health') },
        },
      },
      '/providers': {
        get: {
          operationId: 'listProviders',
          tags: ['Service'],
          summary: 'The configured TTS, image and storage providers, and each TTS provider\'s voices (a provider that cannot list them says why)',
          parameters: [{ name: 'language', in: 'query', required: false, schema: { type: 'string' }, description: 'Only voices serving this language (`de` matches `de-DE`)' }],
          responses: { '200': answer('The providers', 'Providers'), ...notFound, '422': use('Validation') },
        },
      },
      '/jobs/{job_id}': {
        get: { operationId: 'getJob', tags: ['Jobs'], summary: 'A job\'s status, progress and result', parameters: [jobId], responses: { '200': answer('The job', 'Job', EXAMPLES.job), ...notFound } },
        delete: {
          operationId: 'cancelJob',
          tags: ['Jobs'],
          summary: 'Cancel a job (a running render stops within a second)',
          parameters: [jobId],
          responses: { '200': answer('The cancelled job', 'Job'), ...notFound, '409': use('Conflict') },
        },
      },
      '/jobs/{job_id}/retry': {
        post: {
          operationId: 'retryJob',
          tags: ['Jobs'],
          summary: 'Run a failed or cancelled job again',
          parameters: [jobId],
          responses: { '202': answer('Queued again', 'Job'), ...notFound, '409': use('Conflict') },
        },
      },
      '/jobs/{job_id}/events': {
        get: {
          operationId: 'streamJobEvents',
          tags: ['Jobs'],
          summary: 'Server-Sent Events of one job',
          description: 'A `job` event with the whole job at once and on every change, until it finishes; comments keep the connection alive. Each event id names its snapshot: send the last one back as `Last-Event-ID` to resume without being sent what you already have.',
          parameters: [jobId, { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
          responses: { '200': { description: '`event: job` with `data:` a Job in JSON', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...notFound },
        },
      },
      '/jobs/{job_id}/video': file('getJobVideo', 'Download or stream the job\'s MP4 (Range supported)', 'video/mp4'),
      '/jobs/{job_id}/captions.srt': file('getJobCaptionsSrt', 'The captions as SubRip', 'application/x-subrip'),
      '/jobs/{job_id}/captions.vtt': file('getJobCaptionsVtt', 'The captions as WebVTT', 'text/vtt'),
      '/jobs/{job_id}/thumbnail.jpg': file('getJobThumbnail', 'A poster image of the video', 'image/jpeg'),
      '/jobs/{job_id}/hls/{file}': {
        get: {
          operationId: 'getJobHlsFile',
          tags: ['Files'],
          summary: 'A file of the job\'s HLS stream: `index.m3u8` grows while the job renders (`hls_url` on the job), then ends with EXT-X-ENDLIST',
          parameters: [jobId, { name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[\\w.-]+$' } }, ...signed],
          responses: {
            '200': {
              description: 'The playlist (never cached; with a signed link its URIs carry the signature) or an fMP4 init segment or media segment',
              content: { 'application/vnd.apple.mpegurl': { schema: { type: 'string' } }, 'video/mp4': { schema: { type: 'string', format: 'binary' } } },
            },
            ...notFound,
          },
        },
      },
      '/templates': {
        get: {
          operationId: 'listTemplates',
          tags: ['Templates'],
          summary: 'The user\'s job templates, by name',
          parameters: query(templateQuerySchema),
          responses: { '200': answer('The templates', 'TemplateList'), ...authed, '422': use('Validation') },
        },
        post: {
          operationId: 'createTemplate',
          tags: ['Templates'],
          summary: 'Save a job template',
          requestBody: jsonBody('TemplateBody', EXAMPLES.template),
          responses: {
            '201': { ...answer('The template', 'Template'), headers: { Location: { schema: { type: 'string' }, description: 'The template\'s URL' } } },
            '400': use('BadRequest'),
            ...authed,
            '409': { ...use('Conflict'), description: 'Name taken, or the user has 100 templates' },
            '422': use('Validation'),
          },
        },
      },
      '/templates/{template_id}': {
        get: { operationId: 'getTemplate', tags: ['Templates'], summary: 'One job template', parameters: [templateId, ...query(templateQuerySchema)], responses: { '200': answer('The template', 'Template'), ...notFound } },
        put: {
          operationId: 'replaceTemplate',
          tags: ['Templates'],
          summary: 'Replace a job template',
          parameters: [templateId, ...query(templateQuerySchema)],
          requestBody: jsonBody('TemplateBody', EXAMPLES.template),
          responses: { '200': answer('The template', 'Template'), '400': use('BadRequest'), ...notFound, '409': use('Conflict'), '422': use('Validation') },
        },
        delete: {
          operationId: 'deleteTemplate',
          tags: ['Templates'],
          summary: 'Delete a job template',
          parameters: [templateId, ...query(templateQuerySchema)],
          responses: { '204': { description: 'Deleted' }, ...notFound },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`API_KEYS`) or a JWT (HS256 secret or a JWKS) whose `sub` is the user. Without either configured, auth is off.',
        },
      },
      schemas: {
        CreateJob: toSchema(createJobSchema),
        CreateJobs: toSchema(batchSchema),
        TemplateBody: toSchema(templateBodySchema),
        ...RESPONSE_SCHEMAS,
      },
      responses: RESPONSES,
    },
  };
}
