import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '@scriptsensei/adapters';
import { createHlsLive, resolveBinaries, stillEncoderOptions, type HlsChunk } from '../src/index.js';
import { browserAvailable, launchChromium } from '../../../tools/testing/browser.js';

const run = promisify(execFile);
const FPS = 30;
/** Chunk lengths in frames: the third is longer than the target duration, so it is cut in two segments. */
const CHUNK_FRAMES = [75, 60, 120];
const TARGET_SECONDS = 3;
const PLAYLIST = 'videos/live-test.hls/index.m3u8';

const scratch = mkdtempSync(join(tmpdir(), 'hls-live-'));
const storage = createLocalStorage({ directory: join(scratch, 'storage') });
const { ffmpeg, ffprobe } = resolveBinaries();
const playlistText = () => readFileSync(join(storage.root, PLAYLIST), 'utf8');

/** Real chunks: x264 with the composer's settings over a moving test pattern, and a tone per scene as its narration. */
async function makeChunks(): Promise<HlsChunk[]> {
  const chunks: HlsChunk[] = [];
  const list = ['ffconcat version 1.0'];
  let startFrame = 0;
  for (const [index, frames] of CHUNK_FRAMES.entries()) {
    const videoPath = join(scratch, `chunk-${index}.h264`);
    const tonePath = join(scratch, `tone-${index}.wav`);
    await Promise.all([
      run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=${FPS}`, '-frames:v', String(frames), '-an', ...stillEncoderOptions({ x264Preset: 'ultrafast', crf: 30 }, FPS), '-f', 'h264', videoPath]),
      // Each tone is shorter than its scene: the gap must come out as silence.
      run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${330 + 110 * index}:sample_rate=22050:duration=${frames / FPS - 0.5}`, '-ac', '1', tonePath]),
    ]);
    list.push(`file '${tonePath}'`, `duration ${(frames / FPS).toFixed(6)}`);
    const narrationListPath = join(scratch, `narration-${index}.ffconcat`);
    writeFileSync(narrationListPath, `${list.join('\n')}\n`);
    chunks.push({ index, videoPath, frames, startSeconds: startFrame / FPS, narrationListPath });
    startFrame += frames;
  }
  return chunks;
}

/** Serves a page with hls.js and the storage folder, as a job's watch page would be. */
function startServer(): Promise<Server & { url: string }> {
  const hlsScript = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'));
  const page = `<!doctype html><meta charset="utf-8"><video id="v" muted playsinline></video>
<script src="/hls.min.js"></script>
<script>
  window.errors = [];
  const video = document.getElementById('v');
  const hls = new Hls({ startPosition: 0 });
  hls.on(Hls.Events.ERROR, (_, data) => { if (data.fatal) window.errors.push(data.type + ': ' + data.details); });
  hls.loadSource('/media/${PLAYLIST}');
  hls.attachMedia(video);
  video.playbackRate = 2;
  hls.on(Hls.Events.MANIFEST_PARSED, () => { video.playbackRate = 2; video.play().catch((e) => window.errors.push(String(e))); });
</script>`;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url!, 'http://x').pathname);
    if (path === '/') return void response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (path === '/hls.min.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsScript);
    const key = path.replace(/^\/media\//, '');
    storage.get(key).then(
      (body) => {
        response.writeHead(200, { 'content-type': key.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp4', 'cache-control': 'no-cache' });
        body.pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }))));
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const withBrowser = browserAvailable('HLS live stream in chromium');

describe('createHlsLive', () => {
  let chunks: HlsChunk[];
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [chunks, server, browser] = await Promise.all([makeChunks(), startServer(), withBrowser ? launchChromium() : undefined]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const live = () =>
    createHlsLive({ ffmpegPath: ffmpeg, storage, playlistKey: PLAYLIST, workDir: scratch, fps: FPS, targetDurationSeconds: TARGET_SECONDS, audioBitrate: '96k', signal: new AbortController().signal });

  it('grows an EVENT playlist chunk by chunk that chromium plays before the render ends; complete and exact once finished', async () => {
    const stream = live();
    await stream.publish(chunks[0]!);
    // After the first chunk: a playable, unfinished playlist.
    expect(playlistText()).toMatch(/^#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:3\n/);
    expect(playlistText()).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlistText()).toContain('#EXT-X-MAP:URI="init-0.mp4"\n#EXTINF:2.500000,\nsegment-0.m4s\n');
    expect(playlistText()).not.toContain('#EXT-X-ENDLIST');
    await stream.publish(chunks[1]!);

    let page: Page | undefined;
    if (browser) {
      page = await browser.newPage();
      page.on('pageerror', (error) => console.error('page error:', error));
      await page.goto(server!.url);
      // The latch before chunk 3: the stream plays (a decoded frame and a moving clock) while it is unfinished.
      await page.waitForFunction(() => {
        const video = document.querySelector('video')!;
        return video.readyState >= 2 && video.currentTime > 0.5;
      }, undefined, { timeout: 20_000 });
      await expect(page.evaluate(() => (window as unknown as { errors: string[] }).errors)).resolves.toEqual([]);
    }
    expect(playlistText()).not.toContain('segment-2.m4s');

    await stream.publish(chunks[2]!);
    await stream.finish();
    const text = playlistText();
    expect(text.endsWith('#EXT-X-ENDLIST\n')).toBe(true);
    // One init for all chunks (same encoder settings); the 4 s chunk split at a keyframe to keep within 3 s.
    expect(text.match(/#EXT-X-MAP/g)).toHaveLength(1);
    expect([...text.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]))).toEqual([2.5, 2, 3, 1]);
    expect(text).not.toContain('DISCONTINUITY');

    const totalFrames = CHUNK_FRAMES.reduce((a, b) => a + b, 0);
    const { stdout } = await run(ffprobe, ['-v', 'error', '-count_frames', '-show_entries', 'format=duration:stream=codec_type,nb_read_frames', '-of', 'json', join(storage.root, PLAYLIST)]);
    const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_type: string; nb_read_frames: string }[] };
    expect(Math.abs(Number(probe.format.duration) - totalFrames / FPS)).toBeLessThanOrEqual(1 / FPS);
    expect(probe.streams.find((s) => s.codec_type === 'video')?.nb_read_frames).toBe(String(totalFrames));
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);

    if (page) {
      // hls.js picks up the rest and plays across every chunk boundary to the end.
      await page.waitForFunction(() => document.querySelector('video')!.ended, undefined, { timeout: 30_000 });
      await expect(page.evaluate(() => (window as unknown as { errors: string[] }).errors)).resolves.toEqual([]);
      await page.close();
    }

    expect(stream.keys.sort()).toEqual(['index.m3u8', 'init-0.mp4', 'segment-0.m4s', 'segment-1.m4s', 'segment-2.m4s', 'segment-3.m4s'].map((name) => `videos/live-test.hls/${name}`));
    await stream.discard();
    expect(stream.keys).toEqual([]);
    for (const name of ['index.m3u8', 'init-0.mp4', 'segment-3.m4s']) await expect(storage.exists(`videos/live-test.hls/${name}`)).resolves.toBe(false);
  });

  it('refuses chunks out of order', async () => {
    await expect(live().publish({ ...chunks[1]! })).rejects.toThrow(/out of order/);
  });
});
