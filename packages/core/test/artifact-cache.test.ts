import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createPipeline, type ImageProvider, type TTSProvider } from '../src/index.js';
import { decodeErrors } from '../src/testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'artifact-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Counts the calls that reach the real provider behind the cache. */
function countedTTS(provider: TTSProvider, calls: string[]): TTSProvider {
  return { ...provider, synthesize: (r) => (calls.push(r.text), provider.synthesize(r)) };
}
function countedImages(provider: ImageProvider, calls: string[]): ImageProvider {
  return { ...provider, generate: (r) => (calls.push(r.text), provider.generate(r)) };
}

describe('artifact cache', () => {
  it('re-rendering an edited script only redoes the changed scene', async () => {
    const spoken: string[] = [];
    const drawn: string[] = [];
    const storage = createLocalStorage({ directory: dir });
    const pipeline = createPipeline({
      tts: countedTTS(createEspeakTTS(), spoken),
      images: countedImages(createSlides(), drawn),
      storage,
      cache: true,
    });
    const original = 'The first scene stays.\n\nThe second scene will change.\n\nThe third scene stays too.';
    const first = await pipeline.run({ script: original, title: 'Cache' });
    expect(first.cache).toEqual({ tts: { hits: 0, misses: 3 }, images: { hits: 0, misses: 3 }, scenes: { hits: 0, misses: 3 } });

    spoken.length = 0;
    drawn.length = 0;
    const edited = original.replace('will change', 'has changed');
    const second = await pipeline.run({ script: edited, title: 'Cache' });
    expect(spoken).toEqual(['The second scene has changed.']);
    expect(drawn).toEqual(['The second scene has changed.']);
    expect(second.cache).toMatchObject({ tts: { hits: 2, misses: 1 }, images: { hits: 2, misses: 1 } });
    // The first scene's encoding is reused; the edited one is encoded again (a later scene too,
    // when the edit moved its boundary by a frame and so changed what it encodes).
    expect(second.cache!.scenes.hits).toBeGreaterThanOrEqual(1);
    expect(second.cache!.scenes.misses).toBeGreaterThanOrEqual(1);
    expect(second.cache!.scenes.hits + second.cache!.scenes.misses).toBe(3);
    expect(Math.abs(second.scenes[0]!.audioSeconds - first.scenes[0]!.audioSeconds)).toBeLessThan(1e-9);
    expect(await decodeErrors(join(dir, second.key))).toBe('');
  });

  it('treats a changed setting (title, platform) as new content', async () => {
    const drawn: string[] = [];
    const pipeline = createPipeline({ tts: createEspeakTTS(), images: countedImages(createSlides(), drawn), storage: createLocalStorage({ directory: dir }), cache: true });
    await pipeline.run({ script: 'Same words.', title: 'One' });
    await pipeline.run({ script: 'Same words.', title: 'Two' });
    await pipeline.run({ script: 'Same words.', title: 'Two', platform: 'tiktok' });
    expect(drawn).toHaveLength(3);
  });

  it('falls back to the provider when a cached object has gone missing', async () => {
    const spoken: string[] = [];
    const storage = createLocalStorage({ directory: join(dir, 'vanishing') });
    const pipeline = createPipeline({ tts: countedTTS(createEspeakTTS(), spoken), images: createSlides(), storage, cache: true });
    await pipeline.run({ script: 'Now you see me.' });
    rmSync(join(dir, 'vanishing', 'cache'), { recursive: true, force: true });
    const again = await pipeline.run({ script: 'Now you see me.' });
    expect(spoken).toHaveLength(2);
    expect(again.cache?.tts).toEqual({ hits: 0, misses: 1 });
  });
});

describe('artifact cache sweep', () => {
  it('deletes artifacts older than the TTL, and the next render makes them again', async () => {
    const storage = createLocalStorage({ directory: join(dir, 'sweep') });
    const spoken: string[] = [];
    const pipeline = createPipeline({ tts: countedTTS(createEspeakTTS(), spoken), images: createSlides(), storage, cache: { ttlMs: 60_000 } });
    await pipeline.run({ script: 'Kept for a minute.' });
    const cached = async () => {
      const keys = [];
      for await (const object of storage.list!('cache/')) keys.push(object.key);
      return keys;
    };
    // Narration, picture and encoded scene.
    expect(await cached()).toHaveLength(3);
    expect(await pipeline.cache!.sweep()).toBe(0);
    expect(await pipeline.cache!.sweep(Date.now() + 120_000)).toBe(3);
    expect(await cached()).toEqual([]);
    await pipeline.run({ script: 'Kept for a minute.' });
    expect(spoken).toHaveLength(2);
  });
});
