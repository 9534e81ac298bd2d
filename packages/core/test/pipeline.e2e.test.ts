import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mediaChildren } from './helpers/processes.js';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import {
  CancelledError,
  PLATFORM_PRESETS,
  PLATFORMS,
  ProviderError,
  ValidationError,
  createPipeline,
  type ImageProvider,
  type ProgressEvent,
} from '../src/index.js';
import { HOSTILE_TEXTS, decodeErrors, meanVolumeDb, probeMedia, until } from '../src/testing/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'pipeline-e2e-'));
const tempDir = join(scratch, 'tmp');
const storage = createLocalStorage({ directory: join(scratch, 'storage') });
mkdirSync(tempDir);
const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage, tempDir });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SCRIPT = `Welcome to ScriptSensei. This video was made from plain text.

Each paragraph becomes one or more scenes, and every scene gets its own narration and its own card.

The end.`;


describe('pipeline end to end (espeak + slides + local storage, real ffmpeg)', () => {
  it.each(PLATFORMS)('renders a narrated MP4 for %s', async (platform) => {
    const events: ProgressEvent[] = [];
    const result = await pipeline.run({ script: SCRIPT, title: 'End to end', platform }, { onProgress: (e) => events.push(e) });
    const path = join(storage.root, result.key);

    const probe = await probeMedia(path);
    const video = probe.streams.filter((s) => s.codecType === 'video');
    const audio = probe.streams.filter((s) => s.codecType === 'audio');
    expect(video.map((s) => s.codecName)).toEqual(['h264']);
    expect(audio.map((s) => s.codecName)).toEqual(['aac']);
    expect([video[0]!.width, video[0]!.height]).toEqual([PLATFORM_PRESETS[platform].width, PLATFORM_PRESETS[platform].height]);
    expect(video[0]!.frameRate).toBe('30/1');

    const narration = result.scenes.reduce((sum, s) => sum + s.audioSeconds, 0);
    expect(Math.abs(probe.format.duration - narration) / narration).toBeLessThan(0.03);
    expect(Math.abs(result.durationSeconds - probe.format.duration)).toBeLessThan(0.1);
    expect(await meanVolumeDb(path)).toBeGreaterThan(-40);
    expect(await decodeErrors(path)).toBe('');

    // Progress: monotonic, through every milestone, ending at 1.
    const values = events.map((e) => e.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    for (const milestone of [0.1, 0.3, 0.6, 0.9, 1]) expect(values).toContain(milestone);
    expect(events.at(-1)).toMatchObject({ progress: 1, stage: 'complete' });
    expect([...new Set(events.map((e) => e.stage))]).toEqual(['analyzing', 'narrating', 'illustrating', 'composing', 'publishing', 'complete']);
    expect(events.some((e) => /Generating audio \(\d+\/\d+ scenes\)/.test(e.message))).toBe(true);

    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('renders every kind of hostile text in one script', async () => {
    const script = Object.values(HOSTILE_TEXTS).join('\n\n');
    const result = await pipeline.run({ script, title: `Hostile: '"%{}[]:;\\ <b>&amp;` });
    const path = join(storage.root, result.key);
    expect(result.scenes.length).toBeGreaterThanOrEqual(Object.keys(HOSTILE_TEXTS).length);
    expect(await decodeErrors(path)).toBe('');
    expect((await probeMedia(path)).streams).toHaveLength(2);
  });

  it('rejects a 5,000-word script with a validation error naming the script', async () => {
    const script = Array.from({ length: 5000 }, (_, i) => (i % 12 === 11 ? 'word.' : 'word')).join(' ');
    const error = await pipeline.run({ script }).catch((e: unknown) => e);
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).issues[0]).toMatchObject({ field: 'script' });
    expect((error as ValidationError).issues[0]!.message).toMatch(/limit is 20000/);
  });

  it.each([['', 'empty'], ['  \n\t ', 'whitespace']])('rejects an %s script before doing any work (%s)', async (script) => {
    await expect(pipeline.run({ script })).rejects.toSatisfy(ValidationError.is);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('cancelling mid-compose kills ffmpeg and removes temp files', async () => {
    const controller = new AbortController();
    const script = Array.from({ length: 14 }, (_, i) => `Scene number ${i + 1} says a few words about cancellation.`).join('\n\n');
    let composing = false;
    const run = pipeline.run(
      { script, outputKey: 'cancelled/never.mp4' },
      {
        signal: controller.signal,
        onProgress: (event) => {
          if (event.stage === 'composing') composing = true;
        },
      },
    );
    const outcome = run.then(() => 'finished without being cancelled', (e: unknown) => e);
    let settled = false;
    void outcome.then(() => (settled = true));
    // Pull the plug once composing has started an ffmpeg (or the render ended, which fails below).
    await until(() => settled || (composing && mediaChildren().some((name) => name.includes('ffmpeg'))), 60_000, 10);
    controller.abort();
    const abortedAt = Date.now();
    const error = await outcome;
    expect(CancelledError.is(error), String(error)).toBe(true);
    expect(Date.now() - abortedAt).toBeLessThan(1500);
    expect(mediaChildren()).toEqual([]);
    expect(readdirSync(tempDir)).toEqual([]);
    expect(await storage.exists('cancelled/never.mp4')).toBe(false);
  });

  it('a failing provider fails the render with a typed error and cleans up', async () => {
    let calls = 0;
    const flaky: ImageProvider = {
      specificationVersion: 'v1',
      provider: 'flaky',
      async generate(request) {
        calls += 1;
        if (request.sceneIndex === 1) throw new Error('upstream 503');
        return createSlides().generate(request);
      },
    };
    const failing = createPipeline({ tts: createEspeakTTS(), images: flaky, storage, tempDir });
    const error = await failing.run({ script: 'One.\n\nTwo.\n\nThree.' }).catch((e: unknown) => e);
    expect(ProviderError.is(error)).toBe(true);
    expect((error as ProviderError).provider).toBe('flaky');
    expect((error as ProviderError).retryable).toBe(true);
    expect(calls).toBeGreaterThan(0);
    expect(mediaChildren()).toEqual([]);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('an already-aborted signal rejects at once', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(pipeline.run({ script: 'Hi.' }, { signal: controller.signal })).rejects.toSatisfy(CancelledError.is);
  });

  it('keeps short or silent scenes on screen for at least a second', async () => {
    const result = await pipeline.run({ script: 'Hi.\n\n🎉' });
    for (const scene of result.scenes) expect(scene.durationSeconds).toBeGreaterThanOrEqual(1 - 1 / 60);
  });
});

