import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { ValidationError, composeVideo, createPipeline, resolveBinaries, type TTSProvider } from '../src/index.js';
import { bandLevelDb, grayFrame, measureLoudness, parseSubtitles, pictureDifference, probeMedia, speechOnsets } from '../src/testing/index.js';

const run = promisify(execFile);
const { ffmpeg, ffprobe } = resolveBinaries();
const scratch = mkdtempSync(join(tmpdir(), 'video-quality-'));
const tempDir = join(scratch, 'tmp');
mkdirSync(tempDir);
const storage = createLocalStorage({ directory: join(scratch, 'storage') });
const espeak = createEspeakTTS();
const pipeline = createPipeline({ tts: espeak, images: createSlides(), storage, tempDir });
const FRAME = 1 / 30;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SCRIPT = `Captions follow the voice. Each phrase appears when it is spoken, and leaves when it ends.

A second paragraph, with a pause here, and a longer sentence after it that wraps onto two lines of text.

The end.`;

async function videoFrames(path: string): Promise<number> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path]);
  return Number(stdout.trim());
}

/** espeak with its samples scaled: a quiet (×0.03) or clipping-loud (×6) voice for the loudness tests. */
function scaledVoice(gain: number, id: string): TTSProvider {
  return {
    ...espeak,
    provider: id,
    fingerprint: `${id}-${gain}`,
    async synthesize(request) {
      const result = await espeak.synthesize(request);
      const wav = await readFile(request.outputPath);
      const data = wav.indexOf('data') + 8;
      for (let i = data; i + 1 < wav.length; i += 2) wav.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(wav.readInt16LE(i) * gain))), i);
      writeFileSync(request.outputPath, wav);
      return result;
    },
  };
}

describe('captions timed from the narration', () => {
  it('burns cues in, writes SRT and WebVTT holding the same cues, each starting within 150 ms of its speech', async () => {
    const result = await pipeline.run({ script: SCRIPT, title: 'Captions', captions: true });
    const video = join(storage.root, result.key);
    expect(result.captions).toBeDefined();
    const { srt, vtt, cues } = result.captions!;
    expect(srt.key).toBe(result.key.replace(/\.mp4$/, '.srt'));
    expect(vtt.key).toBe(result.key.replace(/\.mp4$/, '.vtt'));
    const fromSrt = await parseSubtitles(join(storage.root, srt.key));
    const fromVtt = await parseSubtitles(join(storage.root, vtt.key));
    expect(fromSrt.length).toBe(cues);
    expect(cues).toBeGreaterThanOrEqual(5);
    expect(fromVtt).toEqual(fromSrt);
    expect(fromSrt.map((c) => c.text).join(' ').replace(/\s+/g, ' ')).toBe(SCRIPT.replace(/\s+/g, ' '));

    const onsets = await speechOnsets(video);
    for (const cue of fromSrt) {
      const nearest = Math.min(...onsets.map((t) => Math.abs(t - cue.startSeconds)));
      expect(nearest, `cue "${cue.text}" at ${cue.startSeconds}s; onsets ${onsets.join(', ')}`).toBeLessThanOrEqual(0.15);
      expect(cue.endSeconds).toBeGreaterThan(cue.startSeconds);
    }

    // Burned in: the caption band changes from one cue to the next, and is empty between cues.
    const band = { x: 0, y: 0.75, width: 1, height: 0.25 };
    for (let i = 0; i + 1 < Math.min(4, fromSrt.length); i++) {
      const [a, b] = [fromSrt[i]!, fromSrt[i + 1]!];
      const during = await grayFrame(video, (a.startSeconds + a.endSeconds) / 2, band);
      const next = await grayFrame(video, (b.startSeconds + b.endSeconds) / 2, band);
      expect(pictureDifference(during, next), `cue ${i} vs ${i + 1}`).toBeGreaterThan(1);
      if (b.startSeconds - a.endSeconds > 4 * FRAME) {
        const gap = await grayFrame(video, (a.endSeconds + b.startSeconds) / 2, band);
        expect(pictureDifference(during, gap), `cue ${i} vs the gap after it`).toBeGreaterThan(1);
      }
    }
  }, 120_000);
});

describe('motion keeps the voice aligned', () => {
  it.each([
    ['Ken Burns + crossfade', { kenBurns: true, transition: 'crossfade' as const }],
    ['slide transitions', { transition: 'slide' as const, transitionSeconds: 0.8 }],
  ])('%s: the video lasts as long as the narration, to the frame', async (_, motion) => {
    const result = await pipeline.run({ script: SCRIPT, motion, captions: true });
    const path = join(storage.root, result.key);
    const frames = await videoFrames(path);
    const sceneFrames = result.scenes.reduce((sum, s) => sum + Math.round(s.durationSeconds * 30), 0);
    expect(frames).toBe(sceneFrames);
    const narration = result.scenes.reduce((sum, s) => sum + Math.max(1, s.audioSeconds), 0);
    expect(Math.abs(frames / 30 - narration)).toBeLessThanOrEqual(FRAME);
    const probe = await probeMedia(path);
    expect(Math.abs(probe.format.duration - frames / 30)).toBeLessThanOrEqual(FRAME);
  }, 120_000);

  it('moves a Ken Burns pan smoothly: every frame advances, by an even step', async () => {
    const dir = mkdtempSync(join(scratch, 'kb-'));
    // A white square on black: its centre of mass tracks the pan.
    await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'color=black:s=640x360,drawbox=x=300:y=160:w=40:h=40:color=white:t=fill', '-frames:v', '1', join(dir, 'square.png')]);
    await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=22050:cl=mono', '-t', '3', join(dir, 'silence.wav')]);
    const output = join(dir, 'pan.mp4');
    await composeVideo([{ imagePath: join(dir, 'square.png'), audio: [{ path: join(dir, 'silence.wav'), seconds: 3 }], durationSeconds: 3 }], {
      ffmpegPath: ffmpeg, width: 640, height: 360, fps: 30, workDir: dir, outputPath: output, x264Preset: 'veryfast', crf: 10, gopSeconds: 2,
      audioBitrate: '64k', concurrency: 1, signal: new AbortController().signal,
      kenBurns: () => ({ direction: 'right', amount: 0.1 }),
    });
    const { stdout } = await run(ffmpeg, ['-v', 'error', '-i', output, '-vf', 'format=gray', '-f', 'rawvideo', '-'], { encoding: 'buffer', maxBuffer: 1 << 28 });
    const size = 640 * 360;
    const xs: number[] = [];
    for (let f = 0; f * size < stdout.length; f++) {
      let mass = 0;
      let moment = 0;
      for (let i = 0; i < size; i++) {
        const v = stdout[f * size + i]!;
        if (v < 128) continue;
        mass += v;
        moment += v * (i % 640);
      }
      xs.push(moment / mass);
    }
    expect(xs).toHaveLength(90);
    const steps = xs.slice(1).map((x, i) => x - xs[i]!);
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    // Panning right moves the picture left; the square crosses 10% of the frame over the scene.
    expect(mean).toBeLessThan(-0.3);
    for (const step of steps) {
      expect(step).toBeLessThan(0);
      expect(Math.abs(step - mean), `steps ${steps.map((s) => s.toFixed(2)).join(' ')}`).toBeLessThanOrEqual(0.6);
    }
  }, 60_000);
});

describe('loudness and music', () => {
  it.each([
    ['quiet', 0.03],
    ['loud', 6],
  ])('a %s voice ends at -16 LUFS ±1 with true peak ≤ -1 dBTP', async (name, gain) => {
    const levelled = createPipeline({ tts: scaledVoice(gain, `espeak-${name}`), images: createSlides(), storage, tempDir });
    const result = await levelled.run({ script: SCRIPT });
    const { integratedLufs, truePeakDb } = await measureLoudness(ffmpeg, join(storage.root, result.key));
    expect(Math.abs(integratedLufs + 16)).toBeLessThanOrEqual(1);
    expect(truePeakDb).toBeLessThanOrEqual(-1);
    expect(result.loudness).toBeDefined();
  }, 120_000);

  it('plays music under the voice, at least 10 dB quieter while it speaks, faded out at the end', async () => {
    await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=3000:sample_rate=48000', '-t', '5', '-c:a', 'libmp3lame', join(storage.root, 'music-bed.mp3')]);
    const result = await pipeline.run({ script: SCRIPT, music: { source: 'music-bed.mp3' } });
    const path = join(storage.root, result.key);
    // Inside the first phrase: voice (below 2.5 kHz) against the music's 3 kHz tone.
    const speech = { fromSeconds: 0.4, toSeconds: 1.2 };
    const voice = await bandLevelDb(ffmpeg, path, { lowHz: 100, highHz: 2500, ...speech });
    const music = await bandLevelDb(ffmpeg, path, { lowHz: 2900, highHz: 3100, ...speech });
    expect(music).toBeGreaterThan(-60);
    expect(voice - music).toBeGreaterThanOrEqual(10);
    const end = await bandLevelDb(ffmpeg, path, { lowHz: 2900, highHz: 3100, fromSeconds: result.durationSeconds - 0.2, toSeconds: result.durationSeconds });
    expect(end).toBeLessThan(music - 10);
  }, 120_000);
});

describe('poster, preview and languages', () => {
  it('stores a poster image at the video size', async () => {
    const result = await pipeline.run({ script: 'A poster for this video.', platform: 'tiktok' });
    expect(result.thumbnail?.key).toBe(result.key.replace(/\.mp4$/, '.jpg'));
    const probe = await probeMedia(join(storage.root, result.thumbnail!.key));
    expect(probe.streams[0]).toMatchObject({ codecName: 'mjpeg', width: 1080, height: 1920 });
    expect(result.artifacts).toEqual(expect.arrayContaining([result.key, result.thumbnail!.key]));
  }, 60_000);

  it('renders a 360p preview in the platform shape', async () => {
    const result = await pipeline.run({ script: SCRIPT, platform: 'shorts', quality: 'preview' });
    expect([result.width, result.height, result.quality]).toEqual([360, 640, 'preview']);
    const probe = await probeMedia(join(storage.root, result.key));
    expect(probe.streams.find((s) => s.codecType === 'video')).toMatchObject({ width: 360, height: 640 });
  }, 60_000);

  it('refuses a language the voice cannot speak, naming the ones it can', async () => {
    const error = await pipeline.validate({ script: 'Hello', language: 'tlh-QO' }).catch((e: unknown) => e);
    expect(ValidationError.is(error)).toBe(true);
    const issue = (error as ValidationError).issues[0]!;
    expect(issue.field).toBe('language');
    expect(issue.message).toMatch(/en-us/);
    await expect(pipeline.validate({ script: 'Bonjour', language: 'fr-FR' })).resolves.toBeUndefined();
  });
});
