import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeErrors, probeMedia, until } from '@scriptsensei/core/testing';

/** A running server under test: its base URL and how to stop it. */
export interface Running {
  url: string;
  close(): Promise<void>;
}

export type Start = (env: Record<string, string>) => Promise<Running>;

const SCRIPT = 'This is a test script for async video generation.';
const ORIGINAL_BODY = {
  video_request: {
    script_id: 'test-123',
    user_id: 'user-456',
    title: 'Test Video',
    script_content: SCRIPT,
    language: 'en-US',
    platform: 'youtube',
    duration: 15,
    voice_provider: 'azure',
  },
  priority: 5,
};

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

type WireJob = Record<string, any>;

/**
 * Reads an SSE response to its end, calling `onEvent` with each event as it arrives (and waiting
 * for it before reading on).
 */
async function readEvents(response: Response, onEvent?: (event: EventSourceMessage) => void | Promise<void>): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const arrived: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => arrived.push(event) });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    for (const event of arrived.splice(0)) {
      events.push(event);
      await onEvent?.(event);
    }
  }
  return events;
}

/**
 * Follows a job through its event stream, which the server ends after a terminal state, calling
 * `onState` with each state as it arrives. Returns every state seen.
 */
async function follow(base: string, id: string, { headers = {}, onState }: { headers?: Record<string, string>; onState?: (job: WireJob) => void | Promise<void> } = {}): Promise<WireJob[]> {
  const response = await fetch(`${base}/jobs/${id}/events`, { headers });
  if (response.status !== 200) throw new Error(`the events of job ${id} answered ${response.status}: ${await response.text()}`);
  const states: WireJob[] = [];
  await readEvents(response, async (event) => {
    const state = JSON.parse(event.data) as WireJob;
    states.push(state);
    await onState?.(state);
  });
  return states;
}

/** Waits for the job to end (its event stream ends with it), then answers its final state. */
async function untilDone(base: string, id: string, headers: Record<string, string> = {}): Promise<WireJob> {
  await follow(base, id, { headers });
  const job = (await (await fetch(`${base}/jobs/${id}`, { headers })).json()) as WireJob;
  if (!['success', 'failure', 'cancelled'].includes(job.status)) throw new Error(`job ${id} is ${job.status} after its event stream ended`);
  return job;
}

/**
 * The HTTP behaviour every server mounting the job API must show: the original service's flow
 * and wire format, and everything added. `start` boots the real server with the real pipeline.
 */
export function runHttpSuite(name: string, start: Start): void {
  describe(`job API over HTTP: ${name}`, () => {
    const scratch = mkdtempSync(join(tmpdir(), `http-${name}-`));
    const servers: Running[] = [];
    let base: string;
    const boot = async (env: Record<string, string> = {}) => {
      const running = await start({ STORAGE_DIR: join(scratch, `storage-${servers.length}`), RATE_LIMIT: '0', ...env });
      servers.push(running);
      return { running, base: `${running.url}/api/v1` };
    };
    beforeAll(async () => {
      ({ base } = await boot());
    });
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.close()));
      rmSync(scratch, { recursive: true, force: true });
    });

    it('runs the original curl flow: create, poll to success, download, ffprobe', async () => {
      const created = await fetch(`${base}/jobs/`, json(ORIGINAL_BODY));
      expect(created.status).toBe(202);
      const job = (await created.json()) as Record<string, any>;
      expect(job).toMatchObject({ status: 'pending', progress: 0, user_id: 'user-456', script_id: 'test-123', priority: 5 });
      expect(job.job_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(job.warnings[0]).toMatch(/voice_provider "azure" is not configured/);
      expect(created.headers.get('location')).toBe(`/api/v1/jobs/${job.job_id}`);

      const done = await untilDone(base, job.job_id);
      expect(done).toMatchObject({ status: 'success', progress: 1, error: null });
      expect(done.result.duration).toBeGreaterThan(1);
      expect(done.result.video_path).toBe(done.result.video_key);
      expect(done.result.video_url).toBe(`${base}/jobs/${job.job_id}/video`);
      const video = await fetch(done.result.video_url);
      expect(video.status).toBe(200);
      expect(video.headers.get('content-type')).toBe('video/mp4');
      const file = join(scratch, `${job.job_id}.mp4`);
      writeFileSync(file, Buffer.from(await video.arrayBuffer()));
      expect((await probeMedia(file)).streams.map((s) => s.codecName).sort()).toEqual(['aac', 'h264']);
      expect(await decodeErrors(file)).toBe('');

      const listed = (await (await fetch(`${base}/jobs/?user_id=user-456&page=1&page_size=10`)).json()) as Record<string, any>;
      expect(listed.total).toBeGreaterThanOrEqual(1);
      expect(listed.jobs.some((j: { job_id: string }) => j.job_id === job.job_id)).toBe(true);
      const counts = (await (await fetch(`${base}/jobs/stats/counts`)).json()) as Record<string, number>;
      expect(counts.success).toBeGreaterThanOrEqual(1);
      expect(counts.total).toBe(Object.entries(counts).filter(([k]) => k !== 'total').reduce((a, [, v]) => a + v, 0));
      const health = await fetch(`${base}/jobs/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { checks: object }).checks).toHaveProperty('ffmpeg');
    });

    it('accepts the spellings the original accepted: numeric strings, en_US, TikTok', async () => {
      const response = await fetch(`${base}/jobs/`, json({ video_request: { script_content: 'Hi.', language: 'en_US', platform: 'TikTok', duration: '5' }, priority: '7' }));
      expect(response.status).toBe(202);
      const job = (await response.json()) as Record<string, any>;
      expect(job.priority).toBe(7);
      const done = await untilDone(base, job.job_id);
      expect([done.result.width, done.result.height]).toEqual([1080, 1920]);
    });

    it('streams job events over SSE: state first, changes in order, closes at the end, resumes', async () => {
      const job = (await (await fetch(`${base}/jobs/`, json({ video_request: { script_content: `${SCRIPT}\n\nAnd a second scene.` } }))).json()) as Record<string, any>;
      const response = await fetch(`${base}/jobs/${job.job_id}/events`);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = await readEvents(response);
      const states = events.map((e) => JSON.parse(e.data) as { status: string; progress: number });
      expect(events.every((e) => e.event === 'job' && e.id)).toBe(true);
      expect(states.at(-1)!.status).toBe('success');
      const progress = states.filter((s) => s.status === 'processing').map((s) => s.progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(states.length).toBeGreaterThan(3);

      const resumed = await readEvents(await fetch(`${base}/jobs/${job.job_id}/events`, { headers: { 'last-event-id': events.at(-1)!.id! } }));
      expect(resumed).toEqual([]);
      const fresh = await readEvents(await fetch(`${base}/jobs/${job.job_id}/events`));
      expect(fresh.map((e) => JSON.parse(e.data).status)).toEqual(['success']);
    });

    it('serves video byte ranges for seeking', async () => {
      const job = (await (await fetch(`${base}/jobs/`, json({ video_request: { script_content: SCRIPT } }))).json()) as Record<string, any>;
      const done = await untilDone(base, job.job_id);
      const full = Buffer.from(await (await fetch(done.result.video_url)).arrayBuffer());
      const part = await fetch(done.result.video_url, { headers: { range: 'bytes=100-1099' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${full.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(full.subarray(100, 1100))).toBe(true);
      const tail = await fetch(done.result.video_url, { headers: { range: 'bytes=-500' } });
      expect(Buffer.from(await tail.arrayBuffer()).equals(full.subarray(full.length - 500))).toBe(true);
      const bad = await fetch(done.result.video_url, { headers: { range: `bytes=${full.length + 10}-` } });
      expect(bad.status).toBe(416);
      const head = await fetch(done.result.video_url, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(String(full.length));
      expect(head.headers.get('accept-ranges')).toBe('bytes');
    });

    it.each([
      '..%2F..%2Fetc%2Fpasswd',
      '%2E%2E/%2E%2E/etc/passwd',
      '%2Fetc%2Fpasswd',
      'videos/..%2F..%2F..%2Fetc%2Fpasswd',
      '..%252F..%252Fetc%252Fpasswd',
      'videos%5C..%5C..%5Cetc%5Cpasswd',
      '%00',
    ])('never serves anything outside storage (%s)', async (path) => {
      const response = await fetch(`${base}/jobs/${path}/video`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/root:/);
    });

    it('answers bad input with 4xx and the fields at fault, never 500', async () => {
      const badJson = await fetch(`${base}/jobs/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"video_request":' });
      expect(badJson.status).toBe(400);
      const invalid = await fetch(`${base}/jobs/`, json({ video_request: { script_content: '   ', platform: 'vine', duration: -3, language: 'not a tag' }, priority: 11 }));
      expect(invalid.status).toBe(422);
      const body = (await invalid.json()) as { error: { fields: { field: string }[] }; detail: { loc: string[] }[] };
      expect(body.error.fields.map((f) => f.field).sort()).toEqual([
        'priority',
        'video_request.duration',
        'video_request.language',
        'video_request.platform',
        'video_request.script_content',
      ]);
      expect(body.detail[0]!.loc[0]).toBe('body');
      const wrongTypes = await fetch(`${base}/jobs/`, json({ video_request: { script_content: 42 }, priority: 'high' }));
      expect(wrongTypes.status).toBe(422);
      const missing = await fetch(`${base}/jobs/`, json({}));
      expect(missing.status).toBe(422);
      const huge = await fetch(`${base}/jobs/`, json({ video_request: { script_content: 'x'.repeat(2_000_000) } }));
      expect(huge.status).toBe(413);
      expect((await fetch(`${base}/jobs/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
      expect((await fetch(`${base}/jobs/00000000-0000-0000-0000-000000000000`, { method: 'DELETE' })).status).toBe(404);
      expect((await fetch(`${base}/jobs/?page_size=1000`)).status).toBe(422);
      expect((await fetch(`${base}/jobs/?status=done`)).status).toBe(422);
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
      const finished = (await (await fetch(`${base}/jobs/`, json({ video_request: { script_content: SCRIPT } }))).json()) as Record<string, any>;
      await untilDone(base, finished.job_id);
      expect((await fetch(`${base}/jobs/${finished.job_id}`, { method: 'DELETE' })).status).toBe(409);
      expect((await fetch(`${base}/jobs/${finished.job_id}/retry`, { method: 'POST' })).status).toBe(409);
      expect((await fetch(`${base}/jobs/health`)).status).toBe(200);
    });

    it('cancels a running job with DELETE and runs it again with retry', async () => {
      const script = Array.from({ length: 10 }, (_, i) => `Scene ${i} is here to make the render take a while.`).join('\n\n');
      const job = (await (await fetch(`${base}/jobs/`, json({ video_request: { script_content: script } }))).json()) as Record<string, any>;
      // Cancelled as soon as its events say it runs (a ten-scene render takes seconds more).
      let cancelled: Response | undefined;
      const states = await follow(base, job.job_id, {
        onState: async (state) => {
          if (state.status === 'processing' && !cancelled) cancelled = await fetch(`${base}/jobs/${job.job_id}`, { method: 'DELETE' });
        },
      });
      expect(cancelled?.status).toBe(200);
      expect(((await cancelled!.json()) as { status: string }).status).toBe('cancelled');
      expect(states.map((s) => s.status)).toContain('processing');
      expect(states.at(-1)!.status).toBe('cancelled');
      expect(((await (await fetch(`${base}/jobs/${job.job_id}`)).json()) as { status: string }).status).toBe('cancelled');
      const again = await fetch(`${base}/jobs/${job.job_id}/retry`, { method: 'POST' });
      expect(again.status).toBe(202);
      expect((await untilDone(base, job.job_id)).status).toBe('success');
    });

    it('creates a batch, validating each item on its own', async () => {
      const response = await fetch(`${base}/jobs/batch`, json({
        jobs: [{ video_request: { script_content: 'One.' } }, { video_request: { script_content: '' } }, { nope: true }],
      }));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { created: number; failed: number; results: { status: number; error?: { fields: { field: string }[] } }[] };
      expect([body.created, body.failed]).toEqual([1, 2]);
      expect(body.results.map((r) => r.status)).toEqual([202, 422, 422]);
      expect(body.results[1]!.error!.fields[0]!.field).toBe('jobs.1.video_request.script_content');
      const tooMany = await fetch(`${base}/jobs/batch`, json({ jobs: Array.from({ length: 101 }, () => ({ video_request: { script_content: 'x' } })) }));
      expect(tooMany.status).toBe(422);
    });

    it('summarises success rate and render durations', async () => {
      // A server of its own, so the summary covers exactly the jobs of this test.
      const { base: own } = await boot();
      const job = (await (await fetch(`${own}/jobs/`, json({ video_request: { script_content: 'Summarised.' } }))).json()) as Record<string, any>;
      expect((await untilDone(own, job.job_id)).status).toBe('success');
      const summary = (await (await fetch(`${own}/jobs/stats/summary?window_hours=1`)).json()) as Record<string, any>;
      expect(summary).toMatchObject({ total: 1, success: 1, failure: 0, cancelled: 0, active: 0, success_rate: 1 });
      expect(summary.render_seconds.p50).toBeGreaterThan(0);
      expect(summary.render_seconds.p95).toBeGreaterThanOrEqual(summary.render_seconds.p50);
    });

    it('publishes an OpenAPI 3.1 document built from the request schemas', async () => {
      const doc = (await (await fetch(`${base}/openapi.json`)).json()) as Record<string, any>;
      expect(doc.openapi).toBe('3.1.0');
      const body = doc.paths['/jobs/'].post.requestBody.content['application/json'];
      expect(body.schema).toEqual({ $ref: '#/components/schemas/CreateJob' });
      const schema = doc.components.schemas.CreateJob;
      expect(schema.properties.video_request.properties).toHaveProperty('script_content');
      expect(body.example.video_request.script_content).toEqual(expect.any(String));
      expect(schema.required).toContain('video_request');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/jobs/{job_id}/events', '/jobs/{job_id}/video', '/jobs/batch']));
    });

    it('refuses an unconfigured voice_provider with 422 when strict', async () => {
      const { base: strict } = await boot({ STRICT_VOICE_PROVIDER: '1' });
      const response = await fetch(`${strict}/jobs/`, json(ORIGINAL_BODY));
      expect(response.status).toBe(422);
      expect(((await response.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('video_request.voice_provider');
    });

    it('limits job creation per user with 429 and Retry-After', async () => {
      const { base: limited } = await boot({ RATE_LIMIT: '2', API_KEYS: 'ka:alice,kb:bob' });
      const as = (key: string) => json({ video_request: { script_content: 'Hi.' } }, { authorization: `Bearer ${key}` });
      expect((await fetch(`${limited}/jobs/`, as('ka'))).status).toBe(202);
      expect((await fetch(`${limited}/jobs/`, as('ka'))).status).toBe(202);
      const third = await fetch(`${limited}/jobs/`, as('ka'));
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await fetch(`${limited}/jobs/`, as('kb'))).status).toBe(202);
      const batch = await fetch(`${limited}/jobs/batch`, { ...as('kb'), body: JSON.stringify({ jobs: [{ video_request: { script_content: 'a' } }, { video_request: { script_content: 'b' } }] }) });
      expect(batch.status).toBe(429);
    });

    it('without auth, limits each client however it names its user', async () => {
      const { base: limited } = await boot({ RATE_LIMIT: '2' });
      const statuses = [];
      for (const user of ['u1', 'u2', 'u3']) statuses.push((await fetch(`${limited}/jobs/`, json({ video_request: { script_content: 'Hi.', user_id: user } }))).status);
      expect(statuses).toEqual([202, 202, 429]);
    });

    it('serves Prometheus metrics at /metrics: jobs by state, queue, workers, durations', async () => {
      const done = await untilDone(base, ((await (await fetch(`${base}/jobs/`, json({ video_request: { script_content: 'Counted.' } }))).json()) as Record<string, any>).job_id);
      expect(done.status).toBe('success');
      const response = await fetch(base.replace('/api/v1', '/metrics'));
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(Number(/^scriptsensei_jobs\{state="success"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^scriptsensei_workers 1$/m);
      expect(text).toMatch(/^scriptsensei_queue_waiting \d+$/m);
      expect(Number(/^scriptsensei_render_duration_seconds_count (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^scriptsensei_stage_duration_seconds_count\{stage="narrating"\} [1-9]/m);
      expect(text).toMatch(/^scriptsensei_process_cpu_seconds_total /m);
    });

    it('keeps jobs and videos across a restart by default (SQLite under STORAGE_DIR) and resumes unfinished ones', async () => {
      const env = { STORAGE_DIR: join(scratch, 'durable'), WORKERS: '1', SHUTDOWN_TIMEOUT_MS: '50' };
      const first = await boot(env);
      const done = await untilDone(first.base, ((await (await fetch(`${first.base}/jobs/`, json({ video_request: { script_content: 'Kept across restarts.' } }))).json()) as Record<string, any>).job_id);
      expect(done.status).toBe('success');
      const long = 'A sentence that keeps the only worker busy for a while. '.repeat(12);
      const running = (await (await fetch(`${first.base}/jobs/`, json({ video_request: { script_content: long } }))).json()) as Record<string, any>;
      const waiting = (await (await fetch(`${first.base}/jobs/`, json({ video_request: { script_content: 'Waiting in line.' } }))).json()) as Record<string, any>;
      await first.running.close();

      const second = await boot(env);
      const kept = (await (await fetch(`${second.base}/jobs/${done.job_id}`)).json()) as Record<string, any>;
      expect(kept).toMatchObject({ status: 'success', job_id: done.job_id });
      expect((await fetch(kept.result.video_url)).status).toBe(200);
      expect((await (await fetch(`${second.base}/jobs/?page_size=100`)).json()).total).toBe(3);
      for (const id of [running.job_id, waiting.job_id]) expect(await untilDone(second.base, id)).toMatchObject({ status: 'success', attempts: 1 });
    });

    it('sweeps videos that no job owns once they are older than the retention, and keeps the rest', async () => {
      const dir = join(scratch, 'orphans');
      const videos = join(dir, 'videos');
      mkdirSync(videos, { recursive: true });
      const orphan = join(videos, '7d1c7a52-0000-4000-8000-000000000000.mp4');
      const fresh = join(videos, 'fresh-orphan.mp4');
      writeFileSync(orphan, 'left by a crash');
      writeFileSync(fresh, 'too young to sweep');
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(orphan, hourAgo, hourAgo);
      const { base: orphanBase } = await boot({ STORAGE_DIR: dir, RETENTION_MS: '600000', SWEEP_INTERVAL_MS: '100' });
      const owned = await untilDone(orphanBase, ((await (await fetch(`${orphanBase}/jobs/`, json({ video_request: { script_content: 'Mine.' } }))).json()) as Record<string, any>).job_id);
      await until(() => !existsSync(orphan), 10_000, 50);
      expect(existsSync(fresh)).toBe(true);
      expect((await fetch(owned.result.video_url)).status).toBe(200);
    });

    it('with auth on, users see only their own jobs and videos', async () => {
      const secret = 'a-test-secret-that-is-long-enough-for-hs256';
      const { base: secured } = await boot({ API_KEYS: 'key-alice:alice,key-bob:bob', JWT_SECRET: secret });
      const alice = { authorization: 'Bearer key-alice' };
      const bob = { authorization: 'Bearer key-bob' };
      expect((await fetch(`${secured}/jobs/`, json({ video_request: { script_content: 'Hi.' } }))).status).toBe(401);
      expect((await fetch(`${secured}/jobs/`, json({ video_request: { script_content: 'Hi.' } }, { authorization: 'Bearer wrong' }))).status).toBe(401);
      const created = (await (await fetch(`${secured}/jobs/`, json({ video_request: { script_content: 'Secret.', user_id: 'bob' } }, alice))).json()) as Record<string, any>;
      expect(created.user_id).toBe('alice');
      const done = await untilDone(secured, created.job_id, alice);
      expect((await fetch(done.result.video_url, { headers: alice })).status).toBe(200);
      for (const [path, method] of [[`/jobs/${created.job_id}`, 'GET'], [`/jobs/${created.job_id}`, 'DELETE'], [`/jobs/${created.job_id}/retry`, 'POST'], [`/jobs/${created.job_id}/events`, 'GET']] as const) {
        expect((await fetch(`${secured}${path}`, { method, headers: bob })).status).toBe(404);
      }
      expect((await fetch(done.result.video_url, { headers: bob })).status).toBe(404);
      // video_url is signed, so a <video> element (no token) plays it; without the signature, or
      // with it altered or moved to another job, the token is required.
      const signed = new URL(done.result.video_url);
      expect(signed.searchParams.get('signature')).toBeTruthy();
      expect((await fetch(signed)).status).toBe(200);
      expect(((await (await fetch(`${secured}/jobs/${created.job_id}`, { headers: alice })).json()) as Record<string, any>).result.video_url).toBe(done.result.video_url);
      expect((await fetch(`${signed.origin}${signed.pathname}`)).status).toBe(401);
      const altered = new URL(signed);
      altered.searchParams.set('expires', String(Number(signed.searchParams.get('expires')) + 3600));
      expect((await fetch(altered)).status).toBe(401);
      const bobsList = (await (await fetch(`${secured}/jobs/?user_id=alice`, { headers: bob })).json()) as { total: number };
      expect(bobsList.total).toBe(0);
      const bobsCounts = (await (await fetch(`${secured}/jobs/stats/counts`, { headers: bob })).json()) as { total: number };
      expect(bobsCounts.total).toBe(0);
      const alicesCounts = (await (await fetch(`${secured}/jobs/stats/counts`, { headers: alice })).json()) as { success: number };
      expect(alicesCounts.success).toBe(1);

      const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
      const viaJwt = await fetch(`${secured}/jobs/${created.job_id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(viaJwt.status).toBe(200);
      const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(secret));
      expect((await fetch(`${secured}/jobs/${created.job_id}`, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
      // A signature is good for its own job only.
      const bobs = (await (await fetch(`${secured}/jobs/`, json({ video_request: { script_content: 'Bob.' } }, bob))).json()) as Record<string, any>;
      expect((await fetch(`${secured}/jobs/${bobs.job_id}/video${signed.search}`)).status).toBe(401);
    });

    it('saves job templates per user: create, list, get, edit round trip, delete, with errors named', async () => {
      const user = `tpl-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const other = `${user}-other`;
      const put = (path: string, body: unknown) => ({ ...json(body), method: 'PUT' });
      const created = await fetch(`${base}/templates`, json({ name: 'Weekly news', title: 'This week', voice: 'en-us', voice_provider: 'espeak', platform: 'TikTok', style: 'dark', language: 'en_US', user_id: user }));
      expect(created.status).toBe(201);
      const template = (await created.json()) as Record<string, any>;
      expect(template).toMatchObject({ user_id: user, name: 'Weekly news', platform: 'tiktok', language: 'en-US', voice_provider: 'espeak' });
      expect(created.headers.get('location')).toBe(`/api/v1/templates/${template.template_id}`);
      await fetch(`${base}/templates`, json({ name: 'Announcements', user_id: user }));

      const listed = (await (await fetch(`${base}/templates?user_id=${user}`)).json()) as { templates: Record<string, any>[] };
      expect(listed.templates.map((t) => t.name)).toEqual(['Announcements', 'Weekly news']);
      expect(listed.templates[0]).toMatchObject({ title: null, voice: null, platform: null });
      expect(((await (await fetch(`${base}/templates?user_id=${other}`)).json()) as { templates: [] }).templates).toEqual([]);
      expect((await fetch(`${base}/templates/${template.template_id}?user_id=${other}`)).status).toBe(404);

      // What a client GETs, edits and PUTs back is accepted (ids, timestamps and nulls ignored).
      const edited = await fetch(`${base}/templates/${template.template_id}`, put('', { ...template, name: 'Weekly recap', style: null }));
      expect(edited.status).toBe(200);
      const after = (await edited.json()) as Record<string, any>;
      expect(after).toMatchObject({ template_id: template.template_id, name: 'Weekly recap', style: null, created_at: template.created_at });

      const duplicate = await fetch(`${base}/templates`, json({ name: 'announcements', user_id: user }));
      expect(duplicate.status).toBe(409);
      expect(((await duplicate.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');
      const invalid = await fetch(`${base}/templates`, json({ name: ' ', platform: 'myspace', voice_provider: 'x'.repeat(65), user_id: user }));
      expect(invalid.status).toBe(422);
      const fields = ((await invalid.json()) as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'platform', 'voice_provider']));
      expect((await fetch(`${base}/templates`, json({ title: 'no name', user_id: user }))).status).toBe(422);

      expect((await fetch(`${base}/templates/${template.template_id}?user_id=${other}`, { method: 'DELETE' })).status).toBe(404);
      expect((await fetch(`${base}/templates/${template.template_id}?user_id=${user}`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${base}/templates/${template.template_id}?user_id=${user}`)).status).toBe(404);
      const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, object> };
      expect(Object.keys(doc.paths['/templates/{template_id}']!).sort()).toEqual(['delete', 'get', 'put']);
    });

    it('keeps templates across a restart (SQLite under STORAGE_DIR), and with auth the token decides the owner', async () => {
      const env = { STORAGE_DIR: join(scratch, 'templates-durable'), API_KEYS: 'key-tina:tina,key-tom:tom' };
      const first = await boot(env);
      const tina = { authorization: 'Bearer key-tina' };
      const saved = (await (await fetch(`${first.base}/templates`, json({ name: 'Kept', platform: 'reels', user_id: 'tom' }, tina))).json()) as Record<string, any>;
      expect(saved.user_id).toBe('tina');
      expect((await fetch(`${first.base}/templates`)).status).toBe(401);
      await first.running.close();
      const second = await boot(env);
      const listed = (await (await fetch(`${second.base}/templates`, { headers: tina })).json()) as { templates: Record<string, any>[] };
      expect(listed.templates).toEqual([saved]);
      const toms = (await (await fetch(`${second.base}/templates?user_id=tina`, { headers: { authorization: 'Bearer key-tom' } })).json()) as { templates: [] };
      expect(toms.templates).toEqual([]);
    });

    it('says in error bodies whether trying again can help', async () => {
      const { base: limited } = await boot({ RATE_LIMIT: '1' });
      const body = json({ video_request: { script_content: 'Once.', user_id: 'retryable-check' } });
      expect((await fetch(`${limited}/jobs/`, body)).status).toBe(202);
      const refused = await fetch(`${limited}/jobs/`, body);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { retryable: boolean } }).error.retryable).toBe(true);
      const invalid = await fetch(`${limited}/jobs/nope`);
      expect(((await invalid.json()) as { error: { retryable: boolean } }).error).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    });

    it('sends CORS headers for the configured front-end origin', async () => {
      const { base: corsBase } = await boot({ CORS_ORIGINS: 'http://localhost:4000' });
      const preflight = await fetch(`${corsBase}/jobs/`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:4000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:4000');
      const other = await fetch(`${corsBase}/jobs/stats/counts`, { headers: { origin: 'http://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
}
