import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from '@scriptsensei/core';
import { decodeErrors, grayFrame, parseSubtitles, pictureDifference, probeMedia } from '@scriptsensei/core/testing';
import { KEY as AZURE_KEY, startWebSocketFake, type FakeTurn } from './helpers/azure-server.js';
import { KEY as PEXELS_KEY, startPexels } from './helpers/pexels-server.js';
import { startS3Server, type S3TestServer } from './helpers/s3-server.js';
import type { VendorServer } from './helpers/vendor-server.js';
import { toneLevels } from './helpers/tone-levels.js';

// The reference server (what `pnpm serve` runs, from the built packages), configured only by
// environment for Azure TTS, Pexels clips and S3 storage, every vendor a local server speaking
// its protocol: a job in the original API's format comes out as Azure's voice over Pexels'
// footage, stored in the bucket, and no key shows up in logs, job records or webhooks.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const WEBHOOK_SECRET = `whsec_${Buffer.from('cloud job webhook secret').toString('base64')}`;

let scratch: string;
let azure: VendorServer & { turns: FakeTurn[] };
let pexels: VendorServer;
let s3: S3TestServer;
let server: ChildProcess;
let output = '';
let base: string;
let receiver: Server;
const webhooks: string[] = [];
let webhookArrived: Promise<void>;

/** Starts the reference server as `pnpm serve` does and resolves with its URL once it listens. */
function startReferenceServer(env: Record<string, string>): Promise<string> {
  server = spawn(process.execPath, ['examples/express-server/server.mjs'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"url":"(http:\/\/[^"]+)","msg":"ScriptSensei job API listening"/.exec(output);
      if (listening) resolve(listening[1]!);
    };
    server.stdout!.on('data', read);
    server.stderr!.on('data', read);
    server.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cloud-job-'));
  const { ffmpeg } = resolveBinaries();
  const [still, clip] = [join(scratch, 'still.jpg'), join(scratch, 'clip.mp4')];
  await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1280', '-frames:v', '1', still]);
  // Two seconds of moving pattern: shorter than a scene, so the pipeline loops it.
  await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
  [azure, pexels, s3] = await Promise.all([startWebSocketFake(), startPexels({ jpeg: await readFile(still), mp4: await readFile(clip) }), startS3Server()]);
  let arrived!: () => void;
  webhookArrived = new Promise((resolve) => (arrived = resolve));
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      webhooks.push(body);
      res.end('ok');
      arrived();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = await startReferenceServer({
    PORT: '0',
    LOG_LEVEL: 'info',
    STORAGE_DIR: join(scratch, 'state'),
    RATE_LIMIT: '0',
    WEBHOOK_SECRET,
    WEBHOOK_ALLOW_PRIVATE: '1',
    AZURE_SPEECH_KEY: AZURE_KEY,
    AZURE_SPEECH_ENDPOINT: azure.url,
    IMAGE_PROVIDER: 'pexels',
    PEXELS_API_KEY: PEXELS_KEY,
    PEXELS_BASE_URL: pexels.url,
    PEXELS_MEDIA: 'videos',
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  });
  base = `${url}/api/v1`;
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  receiver?.close();
  await Promise.all([azure?.close(), pexels?.close(), s3?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

/** Reads a job's event stream to its end (the server closes it once the job is done). */
async function eventsUntilDone(id: string): Promise<Record<string, any>[]> {
  const response = await fetch(`${base}/jobs/${id}/events`);
  const jobs: Record<string, any>[] = [];
  const parser = createParser({ onEvent: (event) => event.event === 'job' && jobs.push(JSON.parse(event.data)) });
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  return jobs;
}

describe('a job through the reference server with Azure, Pexels and S3 (local vendor servers)', () => {
  let job: Record<string, any>;
  let videoPath: string;

  it('lists the configured providers with Azure\'s voices', async () => {
    const providers = (await (await fetch(`${base}/providers?language=en-US`)).json()) as Record<string, any>;
    expect(providers.tts.map((t: { id: string }) => t.id)).toEqual(['espeak', 'azure']);
    const az = providers.tts.find((t: { id: string }) => t.id === 'azure');
    expect(az).toMatchObject({ default: false, word_timings: true });
    expect(az.voices.map((v: { id: string }) => v.id)).toContain('en-US-JennyNeural');
    expect(providers.images).toEqual({ id: 'pexels', specification_version: 'v2' });
    expect(providers.storage).toEqual({ id: 's3' });
  });

  it('renders the original request with voice_provider "azure" to success', async () => {
    const created = await fetch(`${base}/jobs/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        video_request: {
          script_id: 'cloud-1',
          user_id: 'user-cloud',
          title: 'Cloud providers',
          script_content: 'Rockets rise above the desert at dawn. The launch crew watches the engines burn.\n\nOcean waves roll onto a quiet beach.',
          language: 'en-US',
          platform: 'youtube',
          voice_provider: 'azure',
          captions: true,
        },
        webhook_url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      }),
    });
    expect(created.status).toBe(202);
    const submitted = (await created.json()) as Record<string, any>;
    expect(submitted.warnings).toEqual([]);
    expect(submitted.video_request.voice_provider).toBe('azure');
    const events = await eventsUntilDone(submitted.job_id);
    job = events.at(-1)!;
    expect(job.status, JSON.stringify(job.error)).toBe('success');
  });

  it('narrated with Azure (its voice, its word boundaries) over Pexels clips', async () => {
    expect(azure.turns.length).toBeGreaterThanOrEqual(2);
    expect(azure.turns.every((t) => t.voice === 'en-US-JennyNeural')).toBe(true);
    const searches = pexels.requests.filter((r) => r.path === '/videos/search');
    expect(searches.length).toBeGreaterThanOrEqual(2);
    expect(searches.every((r) => r.headers.authorization === PEXELS_KEY && r.url.searchParams.get('orientation') === 'landscape')).toBe(true);
  });

  it('serves the video from S3: video_url redirects to a presigned URL that honours Range', async () => {
    const redirect = await fetch(job.result.video_url, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Signature')).toBeTruthy();
    expect(Number(new URL(location).searchParams.get('X-Amz-Expires'))).toBeGreaterThan(0);
    const part = await fetch(location, { headers: { range: 'bytes=0-1023' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(1024);
    const whole = await fetch(job.result.video_url);
    expect(whole.status).toBe(200);
    videoPath = join(scratch, 'video.mp4');
    await writeFile(videoPath, Buffer.from(await whole.arrayBuffer()));
    expect((await readdir(join(s3.directory, s3.bucket), { recursive: true })).some((name) => String(name).includes(job.result.video_key.split('/').pop()))).toBe(true);
  });

  it('the video is Azure\'s tone over moving footage, with captions on Azure\'s word boundaries', async () => {
    expect(await decodeErrors(videoPath)).toBe('');
    const probed = await probeMedia(videoPath);
    expect(probed.streams.find((s) => s.codecType === 'video')).toMatchObject({ width: 1920, height: 1080 });
    const first = job.result.scenes[0];
    const { tone, elsewhere } = await toneLevels(videoPath, { fromSeconds: first.start + 0.3, toSeconds: first.start + first.audio_seconds - 0.3 });
    expect(tone - elsewhere).toBeGreaterThan(20);
    // Past the clip's own two seconds the footage still moves: it loops.
    const late = first.start + Math.min(first.duration - 0.4, 2.5);
    expect(pictureDifference(await grayFrame(videoPath, late), await grayFrame(videoPath, late + 0.2))).toBeGreaterThan(1);
    const srt = await fetch(job.result.srt_url);
    const cuesPath = join(scratch, 'captions.srt');
    await writeFile(cuesPath, Buffer.from(await srt.arrayBuffer()));
    const cues = await parseSubtitles(cuesPath);
    const firstWord = azure.turns.find((t) => t.text.startsWith('Rockets'))!.boundaries[0]!;
    expect(cues[0]!.startSeconds).toBeCloseTo(first.start + firstWord.startSeconds, 1);
  });

  it('keeps every key out of logs, job records and webhooks', async () => {
    await webhookArrived;
    const record = JSON.stringify(await (await fetch(`${base}/jobs/${job.job_id}`)).json());
    for (const secret of [AZURE_KEY, PEXELS_KEY, WEBHOOK_SECRET]) {
      expect(output).not.toContain(secret);
      expect(record).not.toContain(secret);
      for (const body of webhooks) expect(body).not.toContain(secret);
    }
    expect(webhooks.some((body) => JSON.parse(body).data?.status === 'success')).toBe(true);
    // The redirects to presigned URLs were logged, but not the URLs: each opens the video.
    expect(output).toMatch(/"statusCode":302/);
    expect(output).not.toMatch(/X-Amz-Signature=[0-9a-f]/i);
  });
});
