import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ScriptSenseiError } from '../errors.js';
import type { TTSProvider } from '../specs/tts-provider.js';
import { HOSTILE_TEXTS } from './hostile-text.js';
import { probeMedia } from './media-checks.js';

export interface TTSContractOptions {
  /** Suite name, e.g. `espeak (wasm)`. */
  name: string;
  create: () => TTSProvider | Promise<TTSProvider>;
  capabilities?: {
    /** The provider implements `listVoices`. */
    listVoices?: boolean;
    /** A voice id the provider must accept. */
    knownVoice?: string;
  };
  /**
   * Optional: makes the provider's next synthesis stall until it is cancelled (e.g. tells a fake
   * vendor to hold its next answer) and resolves once that synthesis has stalled (the request
   * arrived). The cancellation test calls it just before `synthesize` and aborts when it
   * resolves, so the abort certainly lands mid-synthesis. Without it, the test aborts as soon as
   * `synthesize` has returned: its synchronous part has run and no I/O can have completed.
   */
  stallNextSynthesis?: () => Promise<void>;
  /** Skip the suite, with the reason printed. */
  skip?: string;
}

/** The behaviour every `TTSProvider` must show. Call it from the adapter's test file. */
export function runTTSProviderContract(options: TTSContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`TTSProvider contract: ${options.name}`, () => {
    let provider: TTSProvider;
    let dir: string;
    const out = (name: string) => join(dir, name);

    beforeAll(async () => {
      provider = await options.create();
      dir = await mkdtemp(join(tmpdir(), 'tts-contract-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('declares its specification version and id', () => {
      expect(provider.specificationVersion).toBe('v1');
      expect(provider.provider).toMatch(/^[\w-]+$/);
    });

    it('writes audio whose duration matches what it reports', async () => {
      const path = out('hello.audio');
      const result = await provider.synthesize({ text: 'Hello there. This is a short test sentence.', language: 'en-US', outputPath: path });
      expect((await stat(path)).size).toBeGreaterThan(1000);
      const probed = await probeMedia(path);
      expect(probed.streams.some((s) => s.codecType === 'audio')).toBe(true);
      expect(probed.format.duration).toBeGreaterThan(1);
      if (result.durationSeconds !== undefined) {
        expect(Math.abs(result.durationSeconds - probed.format.duration)).toBeLessThan(0.05 * probed.format.duration + 0.05);
      }
    });

    it('longer text gives longer audio', async () => {
      const short = await provider.synthesize({ text: 'One.', language: 'en-US', outputPath: out('short.audio') });
      const long = await provider.synthesize({
        text: 'One. Two three four five six seven eight nine ten eleven twelve.',
        language: 'en-US',
        outputPath: out('long.audio'),
      });
      const seconds = async (r: { durationSeconds?: number }, p: string) => r.durationSeconds ?? (await probeMedia(p)).format.duration;
      expect(await seconds(long, out('long.audio'))).toBeGreaterThan(await seconds(short, out('short.audio')));
    });

    for (const [label, text] of Object.entries(HOSTILE_TEXTS)) {
      it(`speaks hostile text (${label}) or fails with a typed error`, async () => {
        const path = out(`hostile-${label}.audio`);
        try {
          await provider.synthesize({ text, language: 'en-US', outputPath: path });
          expect((await stat(path)).size).toBeGreaterThan(44);
        } catch (error) {
          expect(ScriptSenseiError.is(error), String(error)).toBe(true);
        }
      });
    }

    it('text that looks like an option is spoken, not parsed', async () => {
      const path = out('dash.audio');
      await provider.synthesize({ text: HOSTILE_TEXTS.optionLike!, language: 'en-US', outputPath: path });
      expect((await probeMedia(path)).format.duration).toBeGreaterThan(0.5);
    });

    it('rejects with CancelledError when the signal has already fired', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(
        provider.synthesize({ text: 'Never spoken.', language: 'en-US', outputPath: out('never.audio'), signal: controller.signal }),
      ).rejects.toSatisfy(CancelledError.is);
    });

    it('stops within a second when cancelled mid-synthesis', async () => {
      const controller = new AbortController();
      const text = 'This sentence is repeated to make a long narration. '.repeat(400);
      const stalled = options.stallNextSynthesis?.();
      const pending = provider.synthesize({ text, language: 'en-US', outputPath: out('cancel.audio'), signal: controller.signal });
      const outcome = pending.then(() => 'finished without being cancelled', (error: unknown) => error);
      if (stalled) await Promise.race([stalled, outcome]);
      controller.abort();
      const abortedAt = Date.now();
      const error = await outcome;
      expect(CancelledError.is(error), String(error)).toBe(true);
      expect(Date.now() - abortedAt).toBeLessThan(1500);
    });

    it('rejects an unknown voice with a typed, non-retryable error', async () => {
      const error = await provider
        .synthesize({ text: 'Hi.', language: 'en-US', voice: 'no-such-voice-xyz', outputPath: out('bad-voice.audio') })
        .then(() => undefined, (e: unknown) => e);
      expect(ScriptSenseiError.is(error)).toBe(true);
      expect((error as ScriptSenseiError).retryable).toBe(false);
    });

    it.runIf(options.capabilities?.listVoices)('lists voices', async () => {
      const voices = await provider.listVoices!();
      expect(voices.length).toBeGreaterThan(0);
      for (const voice of voices) {
        expect(voice.id).toBeTruthy();
        expect(Array.isArray(voice.languages)).toBe(true);
      }
      if (options.capabilities?.knownVoice) expect(voices.map((v) => v.id)).toContain(options.capabilities.knownVoice);
    });
  });
}
