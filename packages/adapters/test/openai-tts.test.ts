import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, ValidationError } from '@scriptsensei/core';
import { runTTSProviderContract } from '@scriptsensei/core/testing';
import { createOpenAITTS, type OpenAITTSOptions } from '@scriptsensei/adapters/tts/openai';
import { spokenSeconds, stallNext, startVendorServer, tonePcm, type RecordedRequest, type Reply } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';
import { failure, thrown } from './helpers/outcomes.js';

// A fake OpenAI API (platform.openai.com/docs/api-reference/audio/createSpeech): it checks the
// key, the JSON body and the 4096-character limit, and answers with raw 24 kHz PCM of a tone
// lasting `spokenSeconds(input)`.

const KEY = 'sk-proj-openai-tts-test-9a4c27e1';
const SPEECH = '/v1/audio/speech';
const ALL_VOICES = ['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'fable', 'marin', 'nova', 'onyx', 'sage', 'shimmer', 'verse'];
const TTS_1_VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'];

interface SpeechBody {
  model: string;
  input: string;
  voice: string;
  response_format?: string;
  instructions?: string;
  speed?: number;
}

const fakePcm = (input: string) => tonePcm(spokenSeconds(input));

async function openai(request: RecordedRequest): Promise<Reply> {
  if (request.headers.authorization !== `Bearer ${KEY}`) {
    return { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } };
  }
  const model = /^\/v1\/models\/([^/]+)$/.exec(request.path)?.[1];
  if (request.method === 'GET' && model) return { body: { id: decodeURIComponent(model), object: 'model', owned_by: 'system' } };
  if (request.method !== 'POST' || request.path !== SPEECH) return { status: 404, body: { error: { message: 'Not found', type: 'invalid_request_error' } } };
  const invalid = (message: string, param: string): Reply => ({ status: 400, body: { error: { message, type: 'invalid_request_error', param, code: 'invalid_value' } } });
  if (request.headers['content-type'] !== 'application/json') return invalid(`test server: content-type ${request.headers['content-type']}`, 'body');
  const body = JSON.parse(request.body.toString('utf8')) as SpeechBody;
  const voices = body.model.startsWith('tts-1') ? TTS_1_VOICES : ALL_VOICES;
  if (!voices.includes(body.voice)) return invalid(`Invalid value: '${body.voice}'. Supported values are: ${voices.map((v) => `'${v}'`).join(', ')}.`, 'voice');
  if (typeof body.input !== 'string' || !body.input) return invalid('input is required', 'input');
  if (body.input.length > 4096) return invalid(`Invalid 'input': string too long. Expected a string with maximum length 4096, but got a string with length ${body.input.length} instead.`, 'input');
  if (body.response_format !== 'pcm') return invalid(`test server: response_format ${body.response_format}`, 'response_format');
  return { headers: { 'content-type': 'audio/pcm' }, body: fakePcm(body.input) };
}

const server = await startVendorServer(openai);
const scratch = mkdtempSync(join(tmpdir(), 'openai-tts-'));
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const create = (options: OpenAITTSOptions = {}) => createOpenAITTS({ apiKey: KEY, baseUrl: `${server.url}/v1`, env: {}, ...options });
const speechSince = (from: number) => server.requests.slice(from).filter((r) => r.path === SPEECH);
const bodyOf = (request: RecordedRequest) => JSON.parse(request.body.toString('utf8')) as SpeechBody;

runTTSProviderContract({ name: 'openai (local fake API)', create: () => create(), capabilities: { listVoices: true, knownVoice: 'nova' }, stallNextSynthesis: () => stallNext(server) });

runVendorBehaviour({
  name: 'openai',
  server: () => server,
  secret: KEY,
  path: SPEECH,
  call: (http, signal) => create(http).synthesize({ text: 'Behaviour check.', language: 'en-US', outputPath: join(scratch, 'behaviour.wav'), signal }),
});

describe('openai protocol', () => {
  it('posts the text as JSON with the bearer key, and wraps the PCM it gets back in a WAV header', async () => {
    const text = 'Protocol check, with a comma. And a second sentence.';
    const path = join(scratch, 'protocol.wav');
    const from = server.requests.length;
    const result = await create().synthesize({ text, language: 'en-US', outputPath: path });
    const [sent, ...more] = speechSince(from);
    expect(more).toHaveLength(0);
    expect(sent).toMatchObject({ method: 'POST', path: SPEECH });
    expect(sent!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent!.headers['openai-organization']).toBeUndefined();
    expect(bodyOf(sent!)).toEqual({ model: 'gpt-4o-mini-tts', input: text, voice: 'alloy', response_format: 'pcm' });

    const wav = await readFile(path);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect([wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 24_000, 16]);
    expect(wav.subarray(44).equals(fakePcm(text))).toBe(true);
    expect(result.durationSeconds).toBeCloseTo(spokenSeconds(text), 3);
    expect(result.wordTimings).toBeUndefined();
  });

  it('sends the model, voice, instructions, speed and organization it was given', async () => {
    const text = 'Guten Tag, wie geht es?';
    const from = server.requests.length;
    const tts = create({ model: 'gpt-4o-mini-tts', voice: 'marin', instructions: 'Calm, like a documentary narrator.', speed: 1.25, organization: 'org-test' });
    await tts.synthesize({ text, language: 'de-DE', voice: 'Coral', outputPath: join(scratch, 'de.wav') });
    const [sent] = speechSince(from);
    expect(sent!.headers['openai-organization']).toBe('org-test');
    expect(bodyOf(sent!)).toEqual({ model: 'gpt-4o-mini-tts', input: text, voice: 'coral', response_format: 'pcm', instructions: 'Calm, like a documentary narrator.', speed: 1.25 });
  });

  it('speaks a text over 4096 characters in parts cut at sentence ends, and joins the audio', async () => {
    const text = Array.from({ length: 150 }, (_, i) => `Sentence number ${i} of a very long narration goes on for a while.`).join(' ');
    const path = join(scratch, 'long.wav');
    const from = server.requests.length;
    const result = await create().synthesize({ text, language: 'en-US', outputPath: path });
    const inputs = speechSince(from).map((r) => bodyOf(r).input);
    expect(inputs.length).toBe(3);
    for (const input of inputs) {
      expect(input.length).toBeLessThanOrEqual(4096);
      expect(input).toMatch(/^Sentence number \d+ .*\.$/);
    }
    expect(inputs.join(' ')).toBe(text);
    const wav = await readFile(path);
    expect(wav.subarray(44).equals(Buffer.concat(inputs.map(fakePcm)))).toBe(true);
    expect(result.durationSeconds).toBeCloseTo(inputs.reduce((sum, input) => sum + spokenSeconds(input), 0), 3);
  });

  it('cuts a sentence longer than the limit at a space, and one huge word between characters, never inside one', async () => {
    const long = `${'many words '.repeat(450)}end.`;
    let from = server.requests.length;
    await create().synthesize({ text: long, language: 'en-US', outputPath: join(scratch, 'long-sentence.wav') });
    const parts = speechSince(from).map((r) => bodyOf(r).input);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.length).toBeLessThanOrEqual(4096);
    expect(parts[0]).toMatch(/ (many|words)$/);
    expect(parts.join(' ')).toBe(long);

    // The emoji's two UTF-16 units straddle character 4096: the cut comes before it.
    const huge = `${'x'.repeat(4095)}🚀${'y'.repeat(100)}`;
    from = server.requests.length;
    await create().synthesize({ text: `A short start. ${huge} and an end`, language: 'en-US', outputPath: join(scratch, 'huge.wav') });
    expect(speechSince(from).map((r) => bodyOf(r).input)).toEqual(['A short start.', 'x'.repeat(4095), `🚀${'y'.repeat(100)} and an end`]);
  });

  it('checks the key with a model lookup', async () => {
    const from = server.requests.length;
    await create({ model: 'tts-1-hd' }).healthCheck!();
    expect(server.requests.slice(from).map((r) => [r.method, r.path])).toEqual([['GET', '/v1/models/tts-1-hd']]);
  });
});

describe('openai voices', () => {
  it('lists the documented voices of the model, each speaking the documented languages', async () => {
    const voices = await create().listVoices!();
    expect(voices.map((v) => v.id)).toEqual(ALL_VOICES);
    expect(voices[0]).toMatchObject({ id: 'alloy', name: 'Alloy' });
    expect(voices[0]!.languages).toEqual(expect.arrayContaining(['en', 'de', 'ja', 'zh', 'ar']));
    expect((await create({ model: 'tts-1' }).listVoices!()).map((v) => v.id)).toEqual(TTS_1_VOICES);
  });

  it('accepts any language, finds voices ignoring case, and refuses unknown ones on `voice` before any call', async () => {
    const tts = create();
    await expect(tts.resolveVoice!('xx-YY')).resolves.toBe('alloy');
    await expect(tts.resolveVoice!('ja-JP', 'Nova')).resolves.toBe('nova');
    const from = server.requests.length;
    for (const [model, voice] of [['gpt-4o-mini-tts', 'no-such-voice'], ['tts-1', 'ballad']] as const) {
      const resolve = await failure(create({ model }).resolveVoice!('en-US', voice));
      expect(ValidationError.is(resolve) && resolve.issues[0]).toMatchObject({ field: 'voice', message: expect.stringContaining('shimmer') });
      const speak = await failure(create({ model }).synthesize({ text: 'Hi.', language: 'en-US', voice, outputPath: join(scratch, 'bad.wav') }));
      expect(ValidationError.is(speak) && speak.issues[0]!.field).toBe('voice');
    }
    expect(server.requests.length).toBe(from);
  });
});

describe('openai configuration', () => {
  it('reads the key, base URL and organization from the environment, and needs a key', async () => {
    const tts = createOpenAITTS({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1/`, OPENAI_ORG_ID: 'org-env' } });
    const from = server.requests.length;
    await tts.synthesize({ text: 'From the environment.', language: 'en-US', outputPath: join(scratch, 'env.wav') });
    expect(speechSince(from)[0]!.headers['openai-organization']).toBe('org-env');
    const error = thrown(() => createOpenAITTS({ env: {} }));
    expect(ConfigurationError.is(error) && error.message).toMatch(/OPENAI_API_KEY/);
  });

  it('refuses an unknown default voice, a speed out of range, and instructions for tts-1 models', () => {
    expect(() => create({ voice: 'robot' })).toThrow(/has no voice "robot"/);
    expect(() => create({ model: 'tts-1', voice: 'verse' })).toThrow(/tts-1 has no voice "verse"/);
    expect(() => create({ speed: 5 })).toThrow(/speed must be 0.25–4/);
    expect(() => create({ model: 'tts-1-hd', instructions: 'Whisper.' })).toThrow(/takes no instructions/);
    expect(ConfigurationError.is(thrown(() => create({ speed: 0 })))).toBe(true);
  });

  it('fingerprints the model, voice, instructions, speed and format, never the key', () => {
    const all = [create(), create({ model: 'tts-1' }), create({ voice: 'sage' }), create({ instructions: 'Slowly.' }), create({ speed: 0.9 })];
    expect(new Set(all.map((t) => t.fingerprint)).size).toBe(all.length);
    expect(all.every((t) => t.fingerprint!.includes('pcm') && !t.fingerprint!.includes(KEY))).toBe(true);
    expect(all[0]!.wordTimings).toBeFalsy();
  });
});
