import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { ProviderError, createPipeline, resolveBinaries, type ImageProvider, type ImageRequest } from '../src/index.js';
import { bandLevelDb, decodeErrors, grayFrame, pictureDifference, probeMedia } from '../src/testing/index.js';

const run = promisify(execFile);
const { ffmpeg, ffprobe } = resolveBinaries();
let scratch: string;
let clipPath: string;

const SCRIPT = `The first scene plays a moving clip. It is shorter than the narration, so it loops.

The second scene is a still slide, drawn once and repeated.

The third scene is a clip again, fitted to the frame.`;

/** A v2 provider: a clip for even scenes (the test clip, with a 3 kHz tone the video must not carry), a slide for odd ones. */
function clipsAndSlides(requests: ImageRequest[]): ImageProvider {
  const slides = createSlides();
  return {
    specificationVersion: 'v2',
    provider: 'test-clips',
    async generate(request) {
      requests.push(request);
      if (request.sceneIndex % 2 === 1) return slides.generate(request);
      await copyFile(clipPath, request.outputPath);
      return { kind: 'clip', format: 'mp4' };
    },
  };
}

async function videoFrames(path: string): Promise<number> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path]);
  return Number(stdout.trim());
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'clip-scenes-'));
  clipPath = join(scratch, 'clip.mp4');
  // 1.2 s of moving test pattern at 25 fps, landscape, with a loud 3 kHz tone (about -4 dBFS: were it
  // mixed in, that band would sit far above the voice's own, about -41 dB).
  await run(ffmpeg, [
    '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'aevalsrc=0.9*sin(2*PI*3000*t):s=48000',
    '-t', '1.2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clipPath,
  ]);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('clip scenes (v2 image providers)', () => {
  it('loops a short clip to its scene, crops it to cover a portrait frame, keeps stills still and drops the clip audio', async () => {
    const requests: ImageRequest[] = [];
    const storage = createLocalStorage({ directory: join(scratch, 'storage') });
    const pipeline = createPipeline({ tts: createEspeakTTS(), images: clipsAndSlides(requests), storage, tempDir: scratch });
    const result = await pipeline.run({ script: SCRIPT, platform: 'tiktok', motion: { transition: 'crossfade' } });
    const video = join(storage.root, result.key);

    // v2 providers hear how long each scene lasts.
    expect(requests.map((r) => r.durationSeconds)).toEqual(result.scenes.map((s) => expect.closeTo(s.durationSeconds, 1)));
    expect(await decodeErrors(video)).toBe('');
    const probed = await probeMedia(video);
    expect(probed.streams.find((s) => s.codecType === 'video')).toMatchObject({ width: 1080, height: 1920 });
    expect(await videoFrames(video)).toBe(Math.round(result.durationSeconds * 30));

    const [first, second, third] = result.scenes;
    // Past the clip's own 1.2 s, the first scene still moves: the clip loops.
    const late = first!.startSeconds + Math.min(first!.durationSeconds - 0.5, 2);
    expect(late).toBeGreaterThan(1.3);
    expect(pictureDifference(await grayFrame(video, late), await grayFrame(video, late + 0.2))).toBeGreaterThan(1);
    // The slide between them does not move at all.
    const mid = second!.startSeconds + second!.durationSeconds / 2;
    expect(pictureDifference(await grayFrame(video, mid - 0.3), await grayFrame(video, mid + 0.3))).toBeLessThan(0.5);
    // Cropped to cover: the band at the top of the portrait frame is picture, not a black bar.
    const top = await grayFrame(video, third!.startSeconds + third!.durationSeconds / 2, { x: 0, y: 0, width: 1, height: 0.1 });
    expect(top.reduce((sum, v) => sum + v, 0) / top.length).toBeGreaterThan(40);
    // The narration is the soundtrack: nothing of the clip's 3 kHz tone.
    const tone = await bandLevelDb(ffmpeg, video, { lowHz: 2900, highHz: 3100, fromSeconds: 0.2, toSeconds: first!.durationSeconds - 0.2 });
    expect(tone).toBeLessThan(-30);
  });

  it('refuses a clip from a v1 provider with a non-retryable provider error', async () => {
    const storage = createLocalStorage({ directory: join(scratch, 'storage-v1') });
    const v1: ImageProvider = { ...clipsAndSlides([]), specificationVersion: 'v1', provider: 'old-clips' };
    const error = await createPipeline({ tts: createEspeakTTS(), images: v1, storage, tempDir: scratch })
      .run({ script: 'One scene only.' })
      .then(() => undefined, (e: unknown) => e);
    expect(ProviderError.is(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as ProviderError).message).toMatch(/only v2/);
  });
});
