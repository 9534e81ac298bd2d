import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../src/http/openapi-schemas.js';
import { startReferenceServer, type ReferenceServer } from '../../../tools/testing/reference-server.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
/** Generated files live in the workspace (so the generated client resolves openapi-fetch), never in git. */
const work = join(root, '.vitest-tmp', `openapi-${process.pid}-${Date.now()}`);
/** Redocly would otherwise try to reach its telemetry and update servers. */
const quiet = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

let server: ReferenceServer;
let document: { components: { schemas: Record<string, unknown> }; paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>> };
let ajv: Ajv2020;

/** Checks `value` against a schema of the served document, listing what does not match. */
function expectSchema(name: string, value: unknown) {
  const validate = ajv.getSchema(`api#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  const valid = validate(value);
  expect(valid ? [] : validate.errors, `${name}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
}

const api = (path: string, init?: RequestInit) => fetch(`${server.api}${path}`, init);
const post = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  mkdirSync(work, { recursive: true });
  server = await startReferenceServer();
  document = await (await api('/openapi.json')).json();
  writeFileSync(join(work, 'openapi.json'), JSON.stringify(document, null, 2));
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'api');
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the OpenAPI document', () => {
  it('passes redocly lint with the recommended rules and the committed config, without a single warning', async () => {
    const { stdout } = await run(bin('redocly'), ['lint', join(work, 'openapi.json'), '--config', join(root, 'redocly.yaml'), '--format=json'], { env: quiet, cwd: root }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number; warnings: number; ignored: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('names every operation, with a 4xx answer and a summary, and servers the mount path', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThanOrEqual(20);
    const ids = operations.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of operations) expect(Object.keys(o.responses).some((code) => code.startsWith('4')), o.operationId).toBe(true);
    expect(document).toMatchObject({ servers: [{ url: '/api/v1' }], components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } });
  });

  it('has examples that match its own schemas', () => {
    expectSchema('CreateJob', EXAMPLES.createJob);
    expectSchema('Job', EXAMPLES.job);
    expectSchema('Job', JSON.parse(JSON.stringify(EXAMPLES.pendingJob)));
    expectSchema('Error', EXAMPLES.validationError);
    expectSchema('TemplateBody', EXAMPLES.template);
  });
});

describe('the answers match the document', () => {
  it('a job through its life, the lists, statistics, providers and templates', { timeout: 120_000 }, async () => {
    const created = await post('/jobs/', { ...EXAMPLES.createJob, video_request: { ...EXAMPLES.createJob.video_request, script_id: `oa-${Date.now()}`, script_content: 'Hello from the schema test.' } });
    expect(created.status).toBe(202);
    const job = await created.json();
    expectSchema('Job', job);
    // The job's own event stream ends when it finishes: its last event is the finished job.
    const events = await (await api(`/jobs/${job.job_id}/events`)).text();
    const last = JSON.parse(events.trim().split('\n').filter((l) => l.startsWith('data:')).at(-1)!.slice(5));
    expect(last.status).toBe('success');
    const done = await (await api(`/jobs/${job.job_id}`)).json();
    expectSchema('Job', done);
    expect(done.result.video_url).toContain(`/jobs/${job.job_id}/video`);
    expectSchema('JobPage', await (await api('/jobs/?page_size=5')).json());
    expectSchema('JobCounts', await (await api('/jobs/stats/counts')).json());
    expectSchema('JobSummary', await (await api('/jobs/stats/summary')).json());
    expectSchema('Health', await (await api('/jobs/health')).json());
    expectSchema('Providers', await (await api('/providers')).json());
    const batch = await post('/jobs/batch', { jobs: [{ video_request: { script_content: '' } }] });
    expectSchema('BatchResult', await batch.json());
    const user = `oa-user-${Date.now()}`;
    const template = await post('/templates', { ...EXAMPLES.template, user_id: user });
    expect(template.status).toBe(201);
    expectSchema('Template', await template.json());
    expectSchema('TemplateList', await (await api(`/templates?user_id=${user}`)).json());
    const cancelled = await api(`/jobs/${job.job_id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(409);
    expectSchema('Error', await cancelled.json());
  });

  it('every error answer has the Error shape: 400, 404, 413 and 422 with the field at fault', async () => {
    const bad = await api('/jobs/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"video_request":' });
    expect(bad.status).toBe(400);
    expectSchema('Error', await bad.json());
    const missing = await api('/jobs/no-such-job');
    expect(missing.status).toBe(404);
    expectSchema('Error', await missing.json());
    const invalid = await post('/jobs/', { video_request: { script_content: '' } });
    expect(invalid.status).toBe(422);
    const body = await invalid.json();
    expectSchema('Error', body);
    expect(body.error.fields[0].field).toBe('video_request.script_content');
    const huge = await post('/jobs/', { video_request: { script_content: 'x'.repeat(2_000_000) } });
    expect(huge.status).toBe(413);
    expectSchema('Error', await huge.json());
    const probe = await api('/jobs/health?probe=sometimes');
    expect(probe.status).toBe(422);
    expect((await probe.json()).error.fields[0].field).toBe('query.probe');
  });
});

describe('a client generated from the document (openapi-typescript + openapi-fetch)', () => {
  const program = `import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type Job = components['schemas']['Job'];
const client = createClient<paths>({ baseUrl: process.env.API_URL! });

const created = await client.POST('/jobs/', {
  body: { video_request: { script_content: 'Hello from a generated client.', title: 'Generated', platform: 'tiktok' }, priority: 7 },
});
if (created.error) throw new Error(created.error.error.message);
let job: Job = created.data;
while (job.status !== 'success' && job.status !== 'failure' && job.status !== 'cancelled') {
  const { data, error } = await client.GET('/jobs/{job_id}', { params: { path: { job_id: job.job_id } } });
  if (error) throw new Error(error.error.message);
  job = data;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const page = await client.GET('/jobs/', { params: { query: { status: 'success', page_size: 10 } } });
console.log(JSON.stringify({ status: job.status, url: job.result?.video_url, listed: page.data?.jobs.some((j) => j.job_id === job.job_id) }));
`;
  const tsconfig = {
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], typeRoots: [join(root, 'node_modules/@types')] },
    files: ['client.ts', 'api.d.ts'],
  };

  beforeAll(async () => {
    await run(bin('openapi-typescript'), [join(work, 'openapi.json'), '--output', join(work, 'api.d.ts')], { env: quiet, cwd: root });
    writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(tsconfig));
  });

  it('type-checks with strict TypeScript', async () => {
    writeFileSync(join(work, 'client.ts'), program);
    await expect(run(bin('tsc'), ['-p', join(work, 'tsconfig.json')], { cwd: work })).resolves.toBeDefined();
  });

  it('catches a body the API would refuse (no script_content), so the types carry the schema', async () => {
    writeFileSync(join(work, 'client.ts'), program.replace("script_content: 'Hello from a generated client.', ", ''));
    const failed = await run(bin('tsc'), ['-p', join(work, 'tsconfig.json')], { cwd: work }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(failed).toMatch(/script_content/);
  });

  it('creates a job and follows it to a video against the live server', { timeout: 120_000 }, async () => {
    writeFileSync(join(work, 'client.ts'), program);
    const { stdout } = await run(bin('tsx'), [join(work, 'client.ts')], { cwd: work, env: { ...process.env, API_URL: server.api } });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'success', listed: true, url: expect.stringContaining('/video') });
  });
});
