import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError, RenderError, composeVideo, resolveBinaries } from '../src/index.js';
import { runFfmpeg } from '../src/media/ffmpeg-run.js';

const dir = mkdtempSync(join(tmpdir(), 'compose-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { ffmpeg } = resolveBinaries();

/** A test card and a tone made by ffmpeg itself. */
async function inputs(): Promise<{ imagePath: string; audio: { path: string; seconds: number }[] }> {
  const imagePath = join(dir, 'card.png');
  const audioPath = join(dir, 'tone.wav');
  await runFfmpeg({ ffmpegPath: ffmpeg, inputs: [{ path: 'testsrc2=s=320x180', options: ['-f', 'lavfi'] }], outputs: [{ path: imagePath, options: ['-frames:v', '1'] }] });
  await runFfmpeg({ ffmpegPath: ffmpeg, inputs: [{ path: 'sine=f=440:d=2', options: ['-f', 'lavfi'] }], outputs: [{ path: audioPath, options: [] }] });
  return { imagePath, audio: [{ path: audioPath, seconds: 2 }] };
}

const options = (workDir: string, signal = new AbortController().signal) => ({
  ffmpegPath: ffmpeg, width: 320, height: 180, fps: 30, workDir, outputPath: join(workDir, 'out.mp4'),
  x264Preset: 'veryfast', crf: 23, gopSeconds: 1, audioBitrate: '64k', concurrency: 1, signal,
});

describe('composer failures', () => {
  it('rejects, instead of crashing or hanging, when the video stream cannot be written', async () => {
    const scene = { ...(await inputs()), durationSeconds: 2 };
    const workDir = join(dir, 'unwritable');
    mkdirSync(join(workDir, 'video.h264'), { recursive: true });
    await expect(composeVideo([scene], options(workDir))).rejects.toThrow(/EISDIR|illegal operation/);
  });

  it('honours an abort that arrives before ffmpeg has started', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runFfmpeg({
      ffmpegPath: ffmpeg,
      inputs: [{ path: 'testsrc2=s=1920x1080:d=600', options: ['-f', 'lavfi'] }],
      outputs: [{ path: join(dir, 'never.mp4'), options: ['-c:v', 'libx264', '-preset', 'slow'] }],
      signal: controller.signal,
    });
    controller.abort();
    await expect(run).rejects.toSatisfy(CancelledError.is);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('quotes ffmpeg when it fails', async () => {
    const error = await runFfmpeg({ ffmpegPath: ffmpeg, inputs: [{ path: join(dir, 'missing.png') }], outputs: [{ path: join(dir, 'x.mp4'), options: [] }] }).catch((e) => e);
    expect(RenderError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/No such file/);
  });
});
