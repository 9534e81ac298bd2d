import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import Keyv from 'keyv';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyvJobStore, createPipeline, createVideoJobs, type ImageProvider, type JobRecord, type VideoJobs } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createJobsApi, type JobsApi } from '@scriptsensei/adapters/http';
import { browserAvailable, launchChromium } from '../../../tools/testing/browser.js';

// A real job through the job API: its live HLS stream appears while it is processing and plays in
// chromium before the job ends. The last scene's picture is held on a latch until the browser has
// played, so "before the job ends" does not depend on timing.

const scratch = mkdtempSync(join(tmpdir(), 'live-stream-'));
const storage = createLocalStorage({ directory: join(scratch, 'storage') });
const withBrowser = browserAvailable('live HLS stream of a job in chromium');

const SCRIPT = [
  'The first scene is watchable while the rest of the video is still being made.',
  'The second scene follows it in the same growing playlist.',
  'The third scene waits until the browser has played the first two.',
].join('\n\n');

let release!: () => void;
const held = new Promise<void>((resolve) => (release = resolve));

/** Slides, except that the last scene's picture waits for `release`. */
function heldSlides(): ImageProvider {
  const slides = createSlides();
  return {
    ...slides,
    async generate(request) {
      if (request.sceneIndex === request.sceneCount - 1) await held;
      return slides.generate(request);
    },
  };
}

let jobs: VideoJobs;
let api: JobsApi;
let server: ServerType;
let origin: string;
let browser: Browser | undefined;

beforeAll(async () => {
  const pipeline = createPipeline({ tts: createEspeakTTS(), images: heldSlides(), storage, tempDir: scratch });
  jobs = await createVideoJobs({ pipeline, store: createKeyvJobStore({ keyv: new Keyv() }), concurrency: 1 });
  api = createJobsApi(jobs, { basePath: '/api/v1', rateLimit: false });
  const hlsScript = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'));
  // The job API mounted as the reference servers mount it, with a watch page and hls.js beside it.
  const app = new Hono({ strict: false });
  app.route('/api/v1', api.app);
  app.get('/hls.min.js', () => new Response(hlsScript, { headers: { 'content-type': 'text/javascript' } }));
  app.get('/watch', (c) => {
    const searchParams = new URL(c.req.url).searchParams;
    {
      const page = `<!doctype html><meta charset="utf-8"><video muted playsinline></video><script src="/hls.min.js"></script><script>
        window.errors = [];
        const video = document.querySelector('video');
        const hls = new Hls({ startPosition: 0 });
        hls.on(Hls.Events.ERROR, (_, d) => { if (d.fatal) window.errors.push(d.type + ': ' + d.details); });
        hls.loadSource(${JSON.stringify(searchParams.get('src'))});
        hls.attachMedia(video);
        hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch((e) => window.errors.push(String(e))));
      </script>`;
      return c.html(page);
    }
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      origin = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  browser = withBrowser ? await launchChromium() : undefined;
}, 60_000);

afterAll(async () => {
  release();
  await browser?.close();
  server?.close();
  api?.close();
  await jobs?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The first state of the job that `accept` takes, from the engine's own change events. */
function next(id: string, accept: (job: JobRecord) => boolean): Promise<JobRecord> {
  return new Promise((resolve) => {
    const stop = jobs.subscribe(id, (job) => {
      if (!accept(job)) return;
      stop();
      resolve(job);
    });
    void jobs.get(id).then((job) => {
      if (accept(job)) {
        stop();
        resolve(job);
      }
    });
  });
}

describe('live stream of a job', () => {
  it('publishes hls_url while processing, plays in chromium before the job ends, and completes the playlist', async () => {
    const created = await fetch(`${origin}/api/v1/jobs/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ video_request: { script_content: SCRIPT, title: 'Live' } }),
    });
    expect(created.status).toBe(202);
    const { job_id: id } = (await created.json()) as { job_id: string };

    await next(id, (job) => job.live !== undefined);
    const wire = (await (await fetch(`${origin}/api/v1/jobs/${id}`)).json()) as { status: string; hls_url: string | null };
    expect(wire.status).toBe('processing');
    expect(wire.hls_url).toMatch(/\/api\/v1\/jobs\/[\w-]+\/hls\/index\.m3u8/);
    const playlist = await (await fetch(new URL(wire.hls_url!, origin))).text();
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist).not.toContain('#EXT-X-ENDLIST');

    if (browser) {
      const page = await browser.newPage();
      await page.goto(`${origin}/watch?src=${encodeURIComponent(new URL(wire.hls_url!, origin).href)}`);
      await page.waitForFunction(() => {
        const video = document.querySelector('video')!;
        return video.readyState >= 2 && video.currentTime > 0.3;
      }, undefined, { timeout: 30_000 });
      expect(await page.evaluate(() => (window as unknown as { errors: string[] }).errors)).toEqual([]);
      await page.close();
    }
    // Played while the last scene was still waiting for its picture.
    expect((await jobs.get(id)).status).toBe('processing');

    release();
    const done = await next(id, (job) => job.status === 'success' || job.status === 'failure');
    expect(done.status).toBe('success');
    expect(done.live).toBeUndefined();
    const final = await (await fetch(`${origin}/api/v1/jobs/${id}/hls/index.m3u8`)).text();
    expect(final.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
    const listed = [...final.matchAll(/#EXTINF:([\d.]+),/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(Math.abs(listed - done.result!.durationSeconds)).toBeLessThanOrEqual(1 / 30 + 0.001);
    expect(done.result!.artifacts).toEqual(expect.arrayContaining([done.result!.key, done.result!.hls!.key]));
  }, 120_000);
});
