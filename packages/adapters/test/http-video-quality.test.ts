import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyvJobStore, createPipeline, createVideoJobs, type JobRecord, type JobStore, type RenderResult, type VideoJobs } from '@scriptsensei/core';
import { sampleJob } from '@scriptsensei/core/testing';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createJobsApi, openApiDocument, type JobsApi } from '@scriptsensei/adapters/http';

// The job API over an API-only engine (no worker): the tests store the jobs and files they read.

const ORIGIN = 'http://api.test';
const PLAYLIST = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-TARGETDURATION:30',
  '#EXT-X-MEDIA-SEQUENCE:0',
  '#EXT-X-PLAYLIST-TYPE:EVENT',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-MAP:URI="init-0.mp4"',
  '#EXTINF:2.500000,',
  'segment-0.m4s',
  '#EXTINF:3.000000,',
  'segment-1.m4s',
  '',
].join('\n');

const scratch = mkdtempSync(join(tmpdir(), 'http-video-quality-'));
const storage = createLocalStorage({ directory: join(scratch, 'storage') });
let store: JobStore;
let jobs: VideoJobs;
let open: JobsApi;
let secured: JobsApi;

beforeAll(async () => {
  store = createKeyvJobStore({ keyv: new Keyv() });
  const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage });
  jobs = await createVideoJobs({ pipeline, store, concurrency: 0 });
  open = createJobsApi(jobs, { basePath: '', rateLimit: false });
  secured = createJobsApi(jobs, { basePath: '', rateLimit: false, auth: { apiKeys: { 'key-alice': 'alice', 'key-bob': 'bob' } } });
});
afterAll(async () => {
  open?.close();
  secured?.close();
  await jobs?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const get = (api: JobsApi, url: string, headers: Record<string, string> = {}) => api.fetch(new Request(url.startsWith('http') ? url : `${ORIGIN}${url}`, { headers }));
const post = (api: JobsApi, body: unknown) => api.fetch(new Request(`${ORIGIN}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
const alice = { authorization: 'Bearer key-alice' };

/** A finished job with every file a render with captions stores, written into storage. */
async function finishedJob(overrides: Partial<JobRecord> = {}): Promise<JobRecord> {
  const job = sampleJob({ userId: 'alice', status: 'success', progress: 1, stage: 'complete', ...overrides });
  const base = `videos/${job.id}`;
  const files: Record<string, string> = {
    [`${base}.mp4`]: 'the video',
    [`${base}.srt`]: '1\n00:00:00,000 --> 00:00:01,500\nHello.\n',
    [`${base}.vtt`]: 'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello.\n',
    [`${base}.jpg`]: 'a poster',
    [`${base}.hls/index.m3u8`]: `${PLAYLIST}#EXT-X-ENDLIST\n`,
    [`${base}.hls/init-0.mp4`]: 'init segment',
    [`${base}.hls/segment-0.m4s`]: 'first media segment',
    [`${base}.hls/segment-1.m4s`]: 'second media segment',
    // Stored in the stream's folder, but no stream file: never served.
    [`${base}.hls/notes.txt`]: 'not part of the stream',
  };
  for (const [key, body] of Object.entries(files)) await storage.put(key, Buffer.from(body));
  const stored = (key: string) => ({ key, url: `file:///${key}` });
  const result: RenderResult = {
    ...stored(`${base}.mp4`),
    durationSeconds: 5.5, sizeBytes: 9, width: 1920, height: 1080, fps: 30, platform: 'youtube', language: 'en-US', quality: 'standard',
    scenes: [{ index: 0, text: 'Hello.', startSeconds: 0, durationSeconds: 5.5, audioSeconds: 1.5 }],
    timings: { analyzeMs: 0, narrateMs: 0, illustrateMs: 0, composeMs: 0, publishMs: 0 },
    captions: { srt: stored(`${base}.srt`), vtt: stored(`${base}.vtt`), cues: 1 },
    thumbnail: stored(`${base}.jpg`),
    hls: stored(`${base}.hls/index.m3u8`),
    loudness: { integratedLufs: -16.2, truePeakDb: -1.3 },
    artifacts: Object.keys(files),
  };
  return store.create({ ...job, result: overrides.result ?? result });
}

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('video options over HTTP: request mapping', () => {
  const options = {
    captions: {
      burn_in: true, word_highlight: true, max_chars_per_line: 28, max_lines: 2,
      style: { font: 'Noto Sans', size: 6, color: '#ffffff', highlight_color: '#ffd400', outline_color: '#000000', outline: 3, background: false, position: 'bottom' },
    },
    motion: { ken_burns: { direction: 'in', amount: 0.1 }, transition: 'crossfade', transition_seconds: 0.4 },
    music: { source: 'music/bed.mp3', volume_db: -14, duck_db: 10, fade_out_seconds: 2 },
    quality: 'preview',
  };

  it('maps captions, motion, music and quality to the core request, and sends them back in wire names', async () => {
    const answer = await post(open, { video_request: { script_content: 'Hello there.', ...options } });
    expect(answer.status).toBe(202);
    const wire = (await answer.json()) as Wire;
    expect(wire.video_request).toMatchObject({ script_content: 'Hello there.', ...options });
    expect((await jobs.get(wire.job_id)).request).toMatchObject({
      captions: {
        burnIn: true, wordHighlight: true, maxCharsPerLine: 28, maxLines: 2,
        style: { font: 'Noto Sans', size: 6, color: '#ffffff', highlightColor: '#ffd400', outlineColor: '#000000', outline: 3, background: false, position: 'bottom' },
      },
      motion: { kenBurns: { direction: 'in', amount: 0.1 }, transition: 'crossfade', transitionSeconds: 0.4 },
      music: { source: 'music/bed.mp3', volumeDb: -14, duckDb: 10, fadeOutSeconds: 2 },
      quality: 'preview',
    });
    // `true` takes every default (the core may store it as an empty set of options).
    const simple = await post(open, { video_request: { script_content: 'Hello.', captions: true, motion: { ken_burns: true } } });
    expect(simple.status).toBe(202);
    const { request } = await jobs.get(((await simple.json()) as Wire).job_id);
    expect(request.captions).toBeTruthy();
    expect(request.motion?.kenBurns).toBeTruthy();
  });

  it("names every value the core refuses by its wire name, in one 422", async () => {
    const answer = await post(open, {
      video_request: {
        script_content: 'Hello.',
        captions: { max_lines: 5, style: { color: 'red', highlight_color: '#12345', position: 'left' } },
        motion: { ken_burns: { amount: 1 }, transition: 'wipe', transition_seconds: 9 },
        music: { source: '', volume_db: 3 },
        quality: 'ultra',
      },
    });
    expect(answer.status).toBe(422);
    const body = (await answer.json()) as Wire;
    expect(body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      [
        'video_request.captions.max_lines',
        'video_request.captions.style.color',
        'video_request.captions.style.highlight_color',
        'video_request.captions.style.position',
        'video_request.motion.ken_burns.amount',
        'video_request.motion.transition',
        'video_request.motion.transition_seconds',
        'video_request.music.source',
        'video_request.music.volume_db',
        'video_request.quality',
      ].sort(),
    );
    expect(body.detail).toContainEqual({ loc: ['body', 'video_request', 'captions', 'style', 'color'], msg: 'must be a #rrggbb colour', type: 'value_error' });
    // An unsafe music key is refused on its own too, by its wire name.
    const unsafe = (await (await post(open, { video_request: { script_content: 'Hello.', music: { source: '../secrets.mp3' } } })).json()) as Wire;
    expect(unsafe.error.fields).toEqual([{ field: 'video_request.music.source', message: expect.any(String) }]);
  });

  it('refuses option names it does not know and values of the wrong type as shape errors, in wire names', async () => {
    const answer = await post(open, { video_request: { script_content: 'Hello.', captions: { burnIn: true }, motion: { ken_burns: 'yes' }, music: { volume_db: -3 } } });
    expect(answer.status).toBe(422);
    const fields = ((await answer.json()) as Wire).error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['video_request.captions', 'video_request.motion.ken_burns', 'video_request.music.source']));
  });
});

describe('video options over HTTP: the job and its files', () => {
  it('sends the result in wire names with a URL per file, each served with its content type', async () => {
    const job = await finishedJob();
    const wire = (await (await get(open, `/jobs/${job.id}`)).json()) as Wire;
    const files = `${ORIGIN}/jobs/${job.id}`;
    expect(wire.result).toMatchObject({
      video_url: `${files}/video`,
      srt_url: `${files}/captions.srt`,
      vtt_url: `${files}/captions.vtt`,
      caption_cues: 1,
      thumbnail_url: `${files}/thumbnail.jpg`,
      hls_url: `${files}/hls/index.m3u8`,
      loudness: { integrated_lufs: -16.2, true_peak_db: -1.3 },
      quality: 'standard',
    });
    expect(wire.hls_url).toBe(`${files}/hls/index.m3u8`);

    const expectFile = async (url: string, contentType: string, body: string, headers: Record<string, string> = {}) => {
      const answer = await get(open, url, headers);
      expect(answer.status, url).toBe(headers.range ? 206 : 200);
      expect(answer.headers.get('content-type'), url).toBe(contentType);
      await expect(answer.text()).resolves.toBe(body);
      return answer;
    };
    await expectFile(wire.result.srt_url, 'application/x-subrip; charset=utf-8', '1\n00:00:00,000 --> 00:00:01,500\nHello.\n');
    await expectFile(wire.result.vtt_url, 'text/vtt; charset=utf-8', 'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello.\n');
    await expectFile(wire.result.thumbnail_url, 'image/jpeg', 'a poster');
    const playlist = await expectFile(wire.hls_url, 'application/vnd.apple.mpegurl', `${PLAYLIST}#EXT-X-ENDLIST\n`);
    expect(playlist.headers.get('cache-control')).toBe('no-cache');
    await expectFile(`${files}/hls/init-0.mp4`, 'video/mp4', 'init segment');
    await expectFile(`${files}/hls/segment-1.m4s`, 'video/mp4', 'second', { range: 'bytes=0-5' });
  });

  it('answers 404 with a typed error for files a job does not have and names outside its stream', async () => {
    const bare = await finishedJob({
      result: {
        key: 'videos/bare.mp4', url: 'file:///videos/bare.mp4', durationSeconds: 1, sizeBytes: 1, width: 1920, height: 1080, fps: 30, platform: 'youtube', language: 'en-US',
        quality: 'standard', scenes: [], timings: { analyzeMs: 0, narrateMs: 0, illustrateMs: 0, composeMs: 0, publishMs: 0 }, artifacts: ['videos/bare.mp4'],
      },
    });
    const wire = (await (await get(open, `/jobs/${bare.id}`)).json()) as Wire;
    expect(wire.result).toMatchObject({ srt_url: null, vtt_url: null, caption_cues: null, thumbnail_url: null, hls_url: null, loudness: null });
    expect(wire.hls_url).toBeNull();
    const full = await finishedJob();
    const pending = await store.create(sampleJob({ userId: 'alice' }));
    const rendering = await store.create(sampleJob({ userId: 'alice', status: 'processing' }));
    for (const path of [
      `/jobs/${bare.id}/captions.srt`,
      `/jobs/${bare.id}/captions.vtt`,
      `/jobs/${bare.id}/thumbnail.jpg`,
      `/jobs/${bare.id}/hls/index.m3u8`,
      `/jobs/${pending.id}/captions.vtt`,
      `/jobs/${rendering.id}/hls/index.m3u8`,
      `/jobs/no-such-job/thumbnail.jpg`,
      `/jobs/${full.id}/hls/notes.txt`,
      `/jobs/${full.id}/hls/segment-7.m4s`,
      `/jobs/${full.id}/hls/other.m3u8`,
      `/jobs/${full.id}/hls/..%2F..%2Fsecret.m4s`,
      `/jobs/${full.id}/hls/.index.m3u8`,
      `/jobs/${full.id}/hls/a%2Fb.m4s`,
    ]) {
      const answer = await get(open, path);
      expect(answer.status, path).toBe(404);
      expect(((await answer.json()) as Wire).error.code, path).toBe('NOT_FOUND');
    }
  });

  it('gives a job still rendering its live playlist as hls_url before it has a result, and drops it when the render stops', async () => {
    const job = sampleJob({ userId: 'alice', status: 'processing', progress: 0.5, stage: 'composing' });
    const playlistKey = `videos/${job.id}.hls/index.m3u8`;
    await storage.put(playlistKey, Buffer.from(PLAYLIST));
    await storage.put(`videos/${job.id}.hls/segment-0.m4s`, Buffer.from('first media segment'));
    await store.create({ ...job, live: { playlistKey, url: `file:///${playlistKey}` } });
    const wire = (await (await get(open, `/jobs/${job.id}`)).json()) as Wire;
    expect(wire).toMatchObject({ status: 'processing', result: null, hls_url: `${ORIGIN}/jobs/${job.id}/hls/index.m3u8` });
    const playlist = await get(open, wire.hls_url);
    expect(playlist.status).toBe(200);
    await expect(playlist.text()).resolves.not.toContain('#EXT-X-ENDLIST');
    expect((await get(open, `/jobs/${job.id}/hls/segment-0.m4s`)).status).toBe(200);

    // A job that stopped rendering (here: a retry is due) has no stream to play.
    await store.update(job.id, { status: 'retrying' });
    expect(((await (await get(open, `/jobs/${job.id}`)).json()) as Wire).hls_url).toBeNull();
    expect((await get(open, `/jobs/${job.id}/hls/index.m3u8`)).status).toBe(404);
  });
});

describe('video options over HTTP: signed file links with auth on', () => {
  it("one signature opens every file of its job without a token, the playlist hands it to its segments, and it opens nothing else", async () => {
    const job = await finishedJob();
    const other = await finishedJob();
    const wire = (await (await get(secured, `/jobs/${job.id}`, alice)).json()) as Wire;
    const urls = [wire.result.video_url, wire.result.srt_url, wire.result.vtt_url, wire.result.thumbnail_url, wire.hls_url] as string[];
    const signature = new URL(wire.hls_url).search;
    expect(signature).toMatch(/^\?expires=\d+&signature=[\w-]+$/);
    for (const url of urls) {
      expect(new URL(url).search, url).toBe(signature);
      expect((await get(secured, url)).status, url).toBe(200);
    }

    // The playlist's URIs carry the same query, so a player fetches segments without a token.
    const playlist = await (await get(secured, wire.hls_url)).text();
    expect(playlist).toContain(`#EXT-X-MAP:URI="init-0.mp4${signature}"`);
    expect(playlist).toContain(`\nsegment-0.m4s${signature}\n`);
    expect(playlist).toContain(`\nsegment-1.m4s${signature}\n`);
    expect(playlist.split('\n').filter((line) => line && !line.startsWith('#'))).toHaveLength(2);
    for (const uri of ['init-0.mp4', 'segment-0.m4s', 'segment-1.m4s']) {
      const answer = await get(secured, new URL(`${uri}${signature}`, wire.hls_url).href);
      expect(answer.status, uri).toBe(200);
      expect(answer.headers.get('content-type')).toBe('video/mp4');
    }

    // Without the signature a token is needed; the signature opens neither another job's files nor the job itself.
    expect((await get(secured, `/jobs/${job.id}/captions.vtt`)).status).toBe(401);
    expect((await get(secured, `/jobs/${other.id}/captions.vtt${signature}`)).status).toBe(401);
    expect((await get(secured, `/jobs/${job.id}${signature}`)).status).toBe(401);
    expect((await get(secured, `/jobs/${job.id}/thumbnail.jpg`, { authorization: 'Bearer key-bob' })).status).toBe(404);
    expect((await get(secured, `/jobs/${job.id}/thumbnail.jpg`, alice)).status).toBe(200);
    // Without auth the playlist is served as stored.
    await expect((await get(open, `/jobs/${job.id}/hls/index.m3u8`)).text()).resolves.toBe(`${PLAYLIST}#EXT-X-ENDLIST\n`);
  });
});

describe('video options over HTTP: OpenAPI', () => {
  it('documents the options, the file routes and their signed-link parameters', () => {
    const doc = openApiDocument(ORIGIN) as unknown as Wire;
    expect(doc.paths['/jobs/'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateJob' });
    const videoRequest = doc.components.schemas.CreateJob.properties.video_request;
    expect(Object.keys(videoRequest.properties)).toEqual(expect.arrayContaining(['captions', 'motion', 'music', 'quality']));
    expect(JSON.stringify(videoRequest.properties.captions)).toContain('highlight_color');
    expect(videoRequest.properties.music.required).toEqual(['source']);
    for (const path of ['/jobs/{job_id}/captions.srt', '/jobs/{job_id}/captions.vtt', '/jobs/{job_id}/thumbnail.jpg', '/jobs/{job_id}/hls/{file}', '/jobs/{job_id}/video']) {
      expect(doc.paths[path]?.get.parameters.map((p: { name: string }) => p.name), path).toEqual(expect.arrayContaining(['job_id', 'expires', 'signature']));
    }
    expect(Object.keys(doc.paths['/jobs/{job_id}/hls/{file}'].get.responses['200'].content)).toEqual(['application/vnd.apple.mpegurl', 'video/mp4']);
  });
});
