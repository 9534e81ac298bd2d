import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError, ValidationError, captionWords, createPipeline } from '@scriptsensei/core';
import { parseSubtitles, probeMedia, runTTSProviderContract } from '@scriptsensei/core/testing';
import { createLocalStorage } from '@scriptsensei/adapters/storage/local';
import { createSlides } from '@scriptsensei/adapters/images/slides';
import { createElevenLabsTTS, type ElevenLabsTTSOptions } from '@scriptsensei/adapters/tts/elevenlabs';
import { spokenSeconds, stallNext, startVendorServer, tonePcm, type RecordedRequest, type Reply } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';
import { failure, thrown } from './helpers/outcomes.js';
import { toneLevels } from './helpers/tone-levels.js';
import { expectCuesOnWords } from './helpers/cues-on-words.js';

const KEY = 'sk_elevenlabs_test_4f1c9a7e2b';
const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
const SARAH = 'EXAVITQu4vr4xnSDxMaL';
const VOICES = [
  { voice_id: GEORGE, name: 'George', category: 'premade', labels: { accent: 'british' }, verified_languages: [{ language: 'en', locale: 'en-GB' }] },
  { voice_id: SARAH, name: 'Sarah', category: 'premade', labels: { language: 'en' } },
];
const TONE_HZ = 523;
const SYNTHESIS_PATH = /^\/v1\/text-to-speech\/[^/]+\/with-timestamps$/;

/**
 * What the fake vendor says for `text`: a tone lasting `spokenSeconds(text)`, and each character
 * (code point) timed within it, with a long pause after each sentence or clause, so word times
 * differ from an even spread.
 */
function fakeSpeech(text: string) {
  const characters = Array.from(text);
  const seconds = spokenSeconds(text);
  const weights = characters.map((c, i) => (/\s/.test(c) && /[.!?,;]/.test(characters[i - 1] ?? '') ? 8 : 1));
  const lead = 0.15;
  const unit = (seconds - lead - 0.1) / weights.reduce((a, b) => a + b, 0);
  const starts: number[] = [];
  const ends: number[] = [];
  let t = lead;
  for (const weight of weights) {
    starts.push(Number(t.toFixed(3)));
    t += weight * unit;
    ends.push(Number(t.toFixed(3)));
  }
  return {
    pcm: tonePcm(seconds, { frequency: TONE_HZ }),
    alignment: { characters, character_start_times_seconds: starts, character_end_times_seconds: ends },
  };
}

/** The local stand-in for api.elevenlabs.io, answering as the API reference documents. */
async function elevenLabs(request: RecordedRequest): Promise<Reply> {
  if (request.headers['xi-api-key'] !== KEY) return { status: 401, body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } } };
  if (request.method === 'GET' && request.path === '/v1/voices') return { body: { voices: VOICES } };
  const voice = SYNTHESIS_PATH.test(request.path) ? request.path.split('/')[3]! : undefined;
  if (request.method !== 'POST' || !voice) return { status: 404, body: { detail: 'Not Found' } };
  if (!VOICES.some((v) => v.voice_id === voice)) {
    return { status: 404, body: { detail: { status: 'voice_not_found', message: `A voice with voice_id ${voice} was not found.` } } };
  }
  const body = JSON.parse(request.body.toString('utf8')) as { text?: unknown; model_id?: unknown };
  if (request.url.searchParams.get('output_format') !== 'pcm_24000' || request.headers['content-type'] !== 'application/json' || typeof body.text !== 'string' || !body.text || typeof body.model_id !== 'string') {
    return { status: 400, body: { detail: { status: 'invalid_request', message: 'JSON text and model_id and output_format=pcm_24000 are required' } } };
  }
  const { pcm, alignment } = fakeSpeech(body.text);
  return { body: { audio_base64: pcm.toString('base64'), alignment, normalized_alignment: alignment } };
}

const server = await startVendorServer(elevenLabs);
const scratch = mkdtempSync(join(tmpdir(), 'elevenlabs-'));
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const create = (options: ElevenLabsTTSOptions = {}) => createElevenLabsTTS({ apiKey: KEY, baseUrl: server.url, env: {}, ...options });
/** The synthesis requests carrying `text` (each test speaks its own text). */
const synthesisOf = (text: string) =>
  server.requests.filter((r) => SYNTHESIS_PATH.test(r.path) && (JSON.parse(r.body.toString('utf8')) as { text: string }).text === text);

runTTSProviderContract({
  name: 'elevenlabs (local fake API)',
  create: () => create(),
  capabilities: { listVoices: true, knownVoice: GEORGE },
  stallNextSynthesis: () => stallNext(server),
});

runVendorBehaviour({
  name: 'elevenlabs',
  server: () => server,
  secret: KEY,
  path: SYNTHESIS_PATH,
  call: (http, signal) => create(http).synthesize({ text: 'Behaviour check.', language: 'en-US', outputPath: join(scratch, 'behaviour.wav'), signal }),
});

describe('elevenlabs protocol', () => {
  it('posts the text to the with-timestamps endpoint and writes the PCM it gets back as WAV', async () => {
    const text = 'Protocol check, with a comma. And a second sentence.';
    const path = join(scratch, 'protocol.wav');
    const result = await create().synthesize({ text, language: 'en-US', outputPath: path });
    const [sent] = synthesisOf(text);
    expect(sent).toMatchObject({ method: 'POST', path: `/v1/text-to-speech/${GEORGE}/with-timestamps` });
    expect(sent!.url.searchParams.get('output_format')).toBe('pcm_24000');
    expect(sent!.headers['xi-api-key']).toBe(KEY);
    // Multilingual v2 works the language out itself: no language_code, no voice settings unless set.
    expect(JSON.parse(sent!.body.toString('utf8'))).toEqual({ text, model_id: 'eleven_multilingual_v2' });

    const wav = await readFile(path);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(24_000);
    expect(wav.subarray(44).equals(fakeSpeech(text).pcm)).toBe(true);
    expect(result.durationSeconds).toBeCloseTo(spokenSeconds(text), 3);
  });

  it('turns the character alignment into caption words timed from their first to last character', async () => {
    const text = 'Rockets 🚀 fly.  Then,\nthey land! 日本語です。';
    const { wordTimings } = await create().synthesize({ text, language: 'en-US', outputPath: join(scratch, 'words.wav') });
    const { alignment } = fakeSpeech(text);
    expect(wordTimings!.map((w) => w.word)).toEqual(captionWords(text));
    const at = (word: string) => wordTimings!.find((w) => w.word === word)!;
    const index = (needle: string) => Array.from(text.slice(0, text.indexOf(needle))).length;
    expect(at('Then,').startSeconds).toBe(alignment.character_start_times_seconds[index('Then,')]);
    expect(at('Then,').endSeconds).toBe(alignment.character_end_times_seconds[index('Then,') + 4]);
    expect(at('🚀').startSeconds).toBe(alignment.character_start_times_seconds[index('🚀')]);
    expect(at('で').startSeconds).toBe(alignment.character_start_times_seconds[index('で')]);
    expect(at('す。').endSeconds).toBe(alignment.character_end_times_seconds[index('。')]);
    for (const [i, w] of wordTimings!.entries()) {
      expect(w.endSeconds).toBeGreaterThan(w.startSeconds);
      if (i) expect(w.startSeconds).toBeGreaterThanOrEqual(wordTimings![i - 1]!.endSeconds);
    }
  });

  it('sends language_code to the models that enforce it, and the voice settings in the API spelling', async () => {
    const text = 'Guten Tag, wie geht es?';
    const tts = create({ modelId: 'eleven_flash_v2_5', voice: SARAH, voiceSettings: { stability: 0.4, similarityBoost: 0.8, useSpeakerBoost: true, speed: 1.1 } });
    await tts.synthesize({ text, language: 'de-DE', outputPath: join(scratch, 'de.wav') });
    const [sent] = synthesisOf(text);
    expect(sent!.path).toBe(`/v1/text-to-speech/${SARAH}/with-timestamps`);
    expect(JSON.parse(sent!.body.toString('utf8'))).toEqual({
      text,
      model_id: 'eleven_flash_v2_5',
      language_code: 'de',
      voice_settings: { stability: 0.4, similarity_boost: 0.8, use_speaker_boost: true, speed: 1.1 },
    });
  });

  it('refuses a language the model does not speak before calling the vendor', async () => {
    const text = 'Jó napot kívánok.';
    const error = await failure(create().synthesize({ text, language: 'hu-HU', outputPath: join(scratch, 'hu.wav') }));
    expect(ValidationError.is(error) && error.issues[0]!.field).toBe('language');
    expect(synthesisOf(text)).toHaveLength(0);
    await expect(create({ modelId: 'eleven_turbo_v2_5' }).resolveVoice!('hu-HU')).resolves.toBe(GEORGE);
  });

  it('an unknown voice id is the vendor 404, not retryable', async () => {
    const text = 'Nobody speaks this.';
    const error = await failure(create().synthesize({ text, language: 'en-US', voice: 'AAAAAAAAAAAAAAAAAAAA', outputPath: join(scratch, 'nobody.wav') }));
    expect(ProviderError.is(error), String(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, retryable: false });
    expect((error as ProviderError).message).toContain('A voice with voice_id AAAAAAAAAAAAAAAAAAAA was not found');
    expect(synthesisOf(text)).toHaveLength(1);
  });
});

describe('elevenlabs voices', () => {
  it('lists the account voices, each speaking the languages of the model, and keeps the list', async () => {
    const tts = create();
    const listed = () => server.requests.filter((r) => r.path === '/v1/voices').length;
    const before = listed();
    const voices = await tts.listVoices!();
    expect(voices.map((v) => [v.id, v.name])).toEqual([
      [GEORGE, 'George'],
      [SARAH, 'Sarah'],
    ]);
    expect(voices[0]!.languages).toEqual(expect.arrayContaining(['en', 'de', 'ja', 'fil']));
    expect(voices[0]!.languages).toHaveLength(29);
    await tts.listVoices!();
    await tts.resolveVoice!('en-US', 'sarah');
    expect(listed() - before).toBe(1);
    // A model this provider has no language table for: each voice's own languages.
    const v3 = await create({ modelId: 'eleven_v3' }).listVoices!();
    expect(v3.map((v) => v.languages)).toEqual([['en-GB'], ['en']]);
  });

  it('resolves voices by id or name, and refuses unknown ones on `voice`', async () => {
    const tts = create();
    await expect(tts.resolveVoice!('en-US')).resolves.toBe(GEORGE);
    await expect(tts.resolveVoice!('fr-FR', 'Sarah')).resolves.toBe(SARAH);
    await expect(tts.resolveVoice!('en-US', SARAH)).resolves.toBe(SARAH);
    for (const voice of ['Nobody', 'AAAAAAAAAAAAAAAAAAAA']) {
      const error = await failure(tts.resolveVoice!('en-US', voice));
      expect(ValidationError.is(error) && error.issues[0]).toMatchObject({ field: 'voice', message: expect.stringContaining('George') });
    }
    const language = await failure(tts.resolveVoice!('xx-YY', 'Sarah'));
    expect(ValidationError.is(language) && language.issues[0]!.field).toBe('language');
  });

  it('speaks with a voice named by name, looked up in the list', async () => {
    const text = 'Spoken by name.';
    await create().synthesize({ text, language: 'en-US', voice: 'Sarah', outputPath: join(scratch, 'by-name.wav') });
    expect(synthesisOf(text)[0]!.path).toBe(`/v1/text-to-speech/${SARAH}/with-timestamps`);
  });

  it('does not keep a failed list: the next call asks again', async () => {
    const tts = create({ maxRetries: 0 });
    server.failNext({ status: 503, body: { detail: { message: 'busy' } } });
    await expect(tts.listVoices!()).rejects.toSatisfy((e: unknown) => ProviderError.is(e) && e.retryable);
    await expect(tts.listVoices!()).resolves.toHaveLength(2);
    await expect(tts.healthCheck!()).resolves.toBeUndefined();
  });
});

describe('elevenlabs configuration', () => {
  it('reads the key and base URL from the environment, and needs a key', async () => {
    const fromEnv = createElevenLabsTTS({ env: { ELEVENLABS_API_KEY: KEY, ELEVENLABS_BASE_URL: `${server.url}/` } });
    await expect(fromEnv.listVoices!()).resolves.toHaveLength(2);
    const error = thrown(() => createElevenLabsTTS({ env: {} }));
    expect(ConfigurationError.is(error) && error.message).toMatch(/ELEVENLABS_API_KEY/);
  });

  it('refuses voice settings out of range', () => {
    expect(() => create({ voiceSettings: { stability: 1.5 } })).toThrow(/voiceSettings.stability must be 0–1/);
    expect(() => create({ voiceSettings: { speed: 2 } })).toThrow(/voiceSettings.speed must be 0.7–1.2/);
  });

  it('fingerprints the model, voice and settings, never the key', () => {
    const a = create();
    const b = create({ voice: SARAH });
    const c = create({ modelId: 'eleven_flash_v2_5' });
    const d = create({ voiceSettings: { speed: 0.9 } });
    expect(new Set([a, b, c, d].map((t) => t.fingerprint)).size).toBe(4);
    expect([a, b, c, d].every((t) => !t.fingerprint!.includes(KEY))).toBe(true);
    expect(a.wordTimings).toBe(true);
  });
});

describe('elevenlabs in a captioned render', () => {
  it('renders an MP4 whose narration is the vendor audio and whose cues start where the alignment puts their words', async () => {
    const tts = create();
    const storage = createLocalStorage({ directory: join(scratch, 'storage') });
    const pipeline = createPipeline({ tts, images: createSlides(), storage, tempDir: scratch });
    const script = 'The vendor speaks this first scene, with a pause here. Then a second sentence follows it.\n\nA closing scene ends the video.';
    const result = await pipeline.run({ script, title: 'ElevenLabs', captions: true });
    const video = join(storage.root, result.key);

    const probe = await probeMedia(video);
    expect(probe.streams.some((s) => s.codecType === 'audio')).toBe(true);
    const first = result.scenes[0]!;
    const span = { fromSeconds: first.startSeconds + 0.3, toSeconds: first.startSeconds + first.audioSeconds - 0.2 };
    const { tone, elsewhere } = await toneLevels(video, span, TONE_HZ);
    expect(tone).toBeGreaterThan(-40);
    expect(tone - elsewhere).toBeGreaterThanOrEqual(25);

    // Every word the vendor timed, on the video's clock, in order.
    const words = result.scenes.flatMap((scene) => {
      expect(synthesisOf(scene.text)).toHaveLength(1);
      const { alignment } = fakeSpeech(scene.text);
      const starts = alignment.character_start_times_seconds;
      let from = 0;
      return captionWords(scene.text).map((word) => {
        const at = Array.from(scene.text).indexOf(Array.from(word)[0]!, from);
        from = at + Array.from(word).length;
        return { word, startSeconds: scene.startSeconds + starts[at]! };
      });
    });
    expectCuesOnWords(await parseSubtitles(join(storage.root, result.captions!.srt.key)), words);
  }, 120_000);
});
