import { writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { pcmWav } from '@scriptsensei/adapters/vendor';
import { ValidationError, createPipeline, resolveBinaries, type TTSProvider, type TTSRequest } from '../src/index.js';
import { bandLevelDb } from '../src/testing/index.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'voice-providers-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A TTS provider that speaks a pure tone of its own frequency, and records what it was asked. */
function toneVoice(id: string, frequency: number, calls: TTSRequest[]): TTSProvider {
  return {
    specificationVersion: 'v1',
    provider: id,
    async synthesize(request) {
      calls.push(request);
      const rate = 24_000;
      const samples = Buffer.alloc(rate * 2 * 1.5);
      for (let i = 0; i < samples.length / 2; i++) samples.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / rate) * 9000), i * 2);
      await writeFile(request.outputPath, pcmWav(samples, rate));
      return { durationSeconds: 1.5 };
    },
    async resolveVoice(_language, voice) {
      if (voice && voice !== `${id}-voice`) throw new ValidationError([{ field: 'voice', message: `${id} has no voice ${voice}` }]);
      return voice ?? `${id}-voice`;
    },
  };
}

describe('voiceProvider picks among the pipeline\'s TTS providers', () => {
  const lowCalls: TTSRequest[] = [];
  const highCalls: TTSRequest[] = [];
  const low = toneVoice('low', 300, lowCalls);
  const high = toneVoice('high', 2000, highCalls);
  const pipeline = () => createPipeline({ tts: low, voices: [high], images: createSlides(), storage: createLocalStorage({ directory: join(scratch, 'storage') }), tempDir: scratch });

  it('lists the default first, then the others', () => {
    expect(pipeline().providers.voices.map((v) => v.provider)).toEqual(['low', 'high']);
  });

  it('narrates with the provider the request names, and the default otherwise', async () => {
    const p = pipeline();
    const named = await p.run({ script: 'Spoken by the high voice.', voiceProvider: 'HIGH' });
    expect(highCalls).toHaveLength(1);
    expect(lowCalls).toHaveLength(0);
    const { ffmpeg } = resolveBinaries();
    const video = join(scratch, 'storage', named.key);
    const at2k = await bandLevelDb(ffmpeg, video, { lowHz: 1900, highHz: 2100, fromSeconds: 0.2, toSeconds: 1.3 });
    const at300 = await bandLevelDb(ffmpeg, video, { lowHz: 250, highHz: 350, fromSeconds: 0.2, toSeconds: 1.3 });
    expect(at2k - at300).toBeGreaterThan(20);
    await p.run({ script: 'Spoken by the default voice.' });
    expect(lowCalls).toHaveLength(1);
  });

  it('checks the voice with the provider named, and refuses an unconfigured provider naming those there are', async () => {
    const p = pipeline();
    await expect(p.validate({ script: 'Hi.', voiceProvider: 'high', voice: 'high-voice' })).resolves.toBeUndefined();
    await expect(p.validate({ script: 'Hi.', voiceProvider: 'high', voice: 'low-voice' })).rejects.toSatisfy(
      (e) => ValidationError.is(e) && e.issues[0]!.field === 'voice',
    );
    const error = await p.validate({ script: 'Hi.', voiceProvider: 'azure' }).then(() => undefined, (e: unknown) => e);
    expect(ValidationError.is(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([{ field: 'voiceProvider', message: '"azure" is not configured here; use one of low, high' }]);
    await expect(p.validate({ script: 'Hi.', voiceProvider: 'no such!' })).rejects.toSatisfy((e) => ValidationError.is(e) && e.issues[0]!.field === 'voiceProvider');
  });

  it('accepts the request when the voice check does not answer in time (a vendor down), leaving it to the render', async () => {
    let answer!: (voice: string) => void;
    const stuck: TTSProvider = { ...toneVoice('stuck', 500, []), resolveVoice: () => new Promise<string>((resolve) => (answer = resolve)) };
    const p = createPipeline({ tts: stuck, images: createSlides(), storage: createLocalStorage({ directory: join(scratch, 'storage') }), voiceCheckMs: 50 });
    await expect(p.validate({ script: 'Hi.', voice: 'anything' })).resolves.toBeUndefined();
    answer('anything');
  });
});
