import { z } from 'zod';
import { batchSchema, createJobSchema, listQuerySchema, summaryQuerySchema, templateBodySchema, templateQuerySchema } from './schemas.js';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const query = (schema: z.ZodObject) =>
  Object.entries(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }).properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
const jobId = [{ name: 'job_id', in: 'path', required: true, schema: { type: 'string' } }];
const templateId = [{ name: 'template_id', in: 'path', required: true, schema: { type: 'string' } }, ...query(templateQuerySchema)];
/** With auth on, a file URL from the job carries these instead of needing the token. */
const signed = [
  { name: 'expires', in: 'query', required: false, schema: { type: 'string' }, description: 'Expiry (Unix seconds) of a signed link' },
  { name: 'signature', in: 'query', required: false, schema: { type: 'string' }, description: 'HMAC of the job id and expiry; opens every file of the job' },
];
const ok = (description: string) => ({ description });
/** A file of the job, in one content type. */
const file = (summary: string, contentType: string, missing: string) => ({
  get: {
    summary,
    parameters: [...jobId, ...signed],
    responses: { '200': { description: summary, content: { [contentType]: { schema: { type: 'string', format: 'binary' } } } }, '206': ok('Part of it (Range)'), '404': ok(missing) },
  },
});
const errors = { '401': ok('Missing or bad token'), '404': ok('No such job'), '422': ok('Invalid fields, each named') };

/** The OpenAPI 3.1 document of the job API, generated from the schemas that validate requests. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'ScriptSensei job API', version: '1.0.0', description: 'Script to narrated video, as background jobs.' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }, {}],
    paths: {
      '/jobs/': {
        post: { summary: 'Create a video job', requestBody: { required: true, ...json(createJobSchema) }, responses: { '202': ok('Job created'), '413': ok('Body too large'), '429': ok('Rate limited'), ...errors } },
        get: { summary: 'List jobs', parameters: query(listQuerySchema), responses: { '200': ok('A page of jobs with total') } },
      },
      '/providers': {
        get: {
          summary: 'The configured TTS, image and storage providers, and each TTS provider\'s voices (a provider that cannot list them says why)',
          parameters: [{ name: 'language', in: 'query', required: false, schema: { type: 'string' }, description: 'Only voices serving this language (`de` matches `de-DE`)' }],
          responses: { '200': ok('{ tts: [{ id, default, word_timings, voices }], images: { id, specification_version }, storage: { id } }'), '401': errors['401'], '422': errors['422'] },
        },
      },
      '/jobs/batch': { post: { summary: 'Create up to 100 jobs', requestBody: { required: true, ...json(batchSchema) }, responses: { '200': ok('Per-item results') } } },
      '/jobs/stats/counts': { get: { summary: 'Jobs by status', responses: { '200': ok('Counts') } } },
      '/jobs/stats/summary': { get: { summary: 'Success rate and render durations', parameters: query(summaryQuerySchema), responses: { '200': ok('Summary') } } },
      '/jobs/health': { get: { summary: 'Store, queue, event bus, workers seen, ffmpeg and TTS checks', responses: { '200': ok('Healthy'), '503': ok('Unhealthy') } } },
      '/jobs/{job_id}': {
        get: { summary: 'Job status', parameters: jobId, responses: { '200': ok('The job'), ...errors } },
        delete: { summary: 'Cancel a job', parameters: jobId, responses: { '200': ok('Cancelled'), '409': ok('Already finished'), ...errors } },
      },
      '/jobs/{job_id}/retry': { post: { summary: 'Run a failed or cancelled job again', parameters: jobId, responses: { '202': ok('Queued again'), '409': ok('Not failed or cancelled') } } },
      '/jobs/{job_id}/events': { get: { summary: 'Server-Sent Events of one job', parameters: jobId, responses: { '200': { description: 'text/event-stream of `job` events' } } } },
      '/templates': {
        get: { summary: "The user's job templates, by name", parameters: query(templateQuerySchema), responses: { '200': ok('{ templates }'), '401': errors['401'] } },
        post: { summary: 'Save a job template', requestBody: { required: true, ...json(templateBodySchema) }, responses: { '201': ok('The template, with Location'), '409': ok('Name taken, or the user has 100 templates'), ...errors } },
      },
      '/templates/{template_id}': {
        get: { summary: 'One job template', parameters: templateId, responses: { '200': ok('The template'), ...errors } },
        put: { summary: 'Replace a job template', parameters: templateId, requestBody: { required: true, ...json(templateBodySchema) }, responses: { '200': ok('The template'), '409': ok('Name taken'), ...errors } },
        delete: { summary: 'Delete a job template', parameters: templateId, responses: { '204': ok('Deleted'), ...errors } },
      },
      '/jobs/{job_id}/video': { get: { summary: 'Download or stream the job\'s video (Range supported)', parameters: [...jobId, ...signed], responses: { '200': ok('The video'), '206': ok('Part of it'), '404': ok('No such job, or it has no video'), '416': ok('Bad range') } } },
      '/jobs/{job_id}/captions.srt': file('The captions as SubRip', 'application/x-subrip', 'No such job, or it has no captions'),
      '/jobs/{job_id}/captions.vtt': file('The captions as WebVTT', 'text/vtt', 'No such job, or it has no captions'),
      '/jobs/{job_id}/thumbnail.jpg': file('A poster image of the video', 'image/jpeg', 'No such job, or it has no thumbnail'),
      '/jobs/{job_id}/hls/{file}': {
        get: {
          summary: 'A file of the job\'s HLS stream: `index.m3u8` grows while the job renders (`hls_url` on the job), then ends with EXT-X-ENDLIST',
          parameters: [...jobId, { name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[\\w.-]+$' } }, ...signed],
          responses: {
            '200': {
              description: 'The playlist (never cached; with a signed link its URIs carry the signature) or an fMP4 init segment or media segment',
              content: { 'application/vnd.apple.mpegurl': { schema: { type: 'string' } }, 'video/mp4': { schema: { type: 'string', format: 'binary' } } },
            },
            '404': ok('No such job, no stream (yet), or no such file'),
          },
        },
      },
    },
  };
}
