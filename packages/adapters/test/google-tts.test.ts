import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, ProviderError, ValidationError, captionWords, createPipeline, joinWords } from '@scriptsensei/core';
import { HOSTILE_TEXTS, parseSubtitles, probeMedia, runTTSProviderContract } from '@scriptsensei/core/testing';
import { createLocalStorage } from '@scriptsensei/adapters/storage/local';
import { createSlides } from '@scriptsensei/adapters/images/slides';
import { createGoogleTTS, type GoogleTTSOptions } from '@scriptsensei/adapters/tts/google';
import { spokenSeconds, stallNext, startVendorServer, toneWav, type RecordedRequest, type Reply } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';
import { failure, thrown } from './helpers/outcomes.js';
import { toneLevels } from './helpers/tone-levels.js';
import { expectCuesOnWords } from './helpers/cues-on-words.js';

// A fake Google Cloud Text-to-Speech API (REST, as cloud.google.com/text-to-speech/docs/reference/rest
// documents it) plus an OAuth token endpoint for service accounts. Synthesis checks the SSML is
// well-formed with a mark before each word, and answers with a tone and a timepoint per mark.

const KEY = 'AIzaSyTest-google-tts-key-3c9e51d0';
const TOKEN = 'ya29.test-access-token-7f2b';
const ACCOUNT = 'narrator@scriptsensei-test.iam.gserviceaccount.com';
const SYNTHESIS = '/v1beta1/text:synthesize';
const TONE_HZ = 440;
const VOICES = [
  { languageCodes: ['en-US'], name: 'en-US-Standard-A', ssmlGender: 'MALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['en-US'], name: 'en-US-Wavenet-D', ssmlGender: 'MALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['en-US'], name: 'en-US-Neural2-F', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['en-US'], name: 'en-US-Neural2-C', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['en-US'], name: 'en-US-Chirp3-HD-Kore', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['en-GB'], name: 'en-GB-Neural2-A', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['fr-FR'], name: 'fr-FR-Standard-B', ssmlGender: 'MALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['fr-FR'], name: 'fr-FR-Wavenet-A', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['fr-CA'], name: 'fr-CA-Neural2-A', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['de-DE'], name: 'de-DE-Standard-A', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['cmn-CN'], name: 'cmn-CN-Wavenet-A', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { languageCodes: ['yue-HK'], name: 'yue-HK-Standard-A', ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
];
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

/**
 * The marks and words of an SSML body, or `undefined` unless it is `<speak>` holding only
 * `<mark name="wN"/>` elements and text with every `&`, `<` and `>` escaped and no character XML
 * forbids. Each word is the text after its mark, without the space joining it to the next.
 */
function readSsml(ssml: string): { marks: number[]; words: string[]; text: string } | undefined {
  const body = /^<speak>(.*)<\/speak>$/su.exec(ssml)?.[1];
  if (body === undefined || new RegExp(NOT_XML.source, 'u').test(ssml)) return undefined;
  const [before, ...tokens] = body.split(/<mark name="w(\d+)"\/>/);
  if (before !== '' || tokens.some((t, i) => i % 2 === 1 && (/[<>]/.test(t) || /&(?!(amp|lt|gt|quot|apos);)/.test(t)))) return undefined;
  const decode = (t: string) => t.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
  const texts = tokens.filter((_, i) => i % 2 === 1).map(decode);
  return { marks: tokens.filter((_, i) => i % 2 === 0).map(Number), words: texts.map((t) => t.replace(/ $/, '')), text: texts.join('') };
}

/**
 * What the fake says for `words`: a tone lasting `spokenSeconds` of their text, and where each
 * word starts, spread by length with a long pause after each sentence, so it is not an even split.
 */
function fakeSpeech(words: string[]): { seconds: number; starts: number[] } {
  const seconds = spokenSeconds(words.join(' '));
  const weights = words.map((w, i) => w.length + 1 + (/[.!?。]$/.test(words[i - 1] ?? '') ? 8 : 0));
  const unit = (seconds - 0.25) / weights.reduce((a, b) => a + b, 0);
  let t = 0.12;
  const starts = weights.map((weight) => {
    const start = Number(t.toFixed(3));
    t += weight * unit;
    return start;
  });
  return { seconds, starts };
}

const bodyOf = (request: RecordedRequest) =>
  JSON.parse(request.body.toString('utf8')) as { input: { ssml: string }; voice: { languageCode: string; name: string }; audioConfig: object; enableTimePointing: string[] };

function tokenEndpoint(request: RecordedRequest): Reply {
  const form = new URLSearchParams(request.body.toString('utf8'));
  const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8') || '{}') as { iss?: string; scope?: string; exp?: number };
  const signed = Boolean(signature) && verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature!, 'base64url'));
  if (
    request.method !== 'POST' ||
    !String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded') ||
    form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
    !signed ||
    claims.iss !== ACCOUNT ||
    !claims.scope?.split(' ').includes('https://www.googleapis.com/auth/cloud-platform') ||
    !(claims.exp! > Date.now() / 1000)
  ) {
    return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
  }
  return { body: { access_token: TOKEN, expires_in: 3599, token_type: 'Bearer' } };
}

/** The local stand-in for texttospeech.googleapis.com and its token endpoint. */
async function google(request: RecordedRequest): Promise<Reply> {
  if (request.path === '/token') return tokenEndpoint(request);
  const bearer = request.headers.authorization;
  if (bearer !== undefined && bearer !== `Bearer ${TOKEN}`) {
    return { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } };
  }
  if (bearer === undefined && request.headers['x-goog-api-key'] !== KEY) {
    return { status: 400, body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } } };
  }
  if (request.method === 'GET' && request.path === '/v1/voices') {
    const language = request.url.searchParams.get('languageCode');
    return { body: { voices: VOICES.filter((v) => !language || v.languageCodes.includes(language)) } };
  }
  if (request.method !== 'POST' || request.path !== SYNTHESIS) return { status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } };
  const invalid = (message: string): Reply => ({ status: 400, body: { error: { code: 400, message, status: 'INVALID_ARGUMENT' } } });
  if (request.headers['content-type'] !== 'application/json') return invalid(`test server: content-type ${request.headers['content-type']}`);
  const body = bodyOf(request);
  const voice = VOICES.find((v) => v.name === body.voice?.name);
  if (!voice) return invalid(`Voice '${body.voice?.name}' does not exist. Is it misspelled?`);
  if (!voice.languageCodes.includes(body.voice.languageCode)) return invalid(`Voice '${voice.name}' does not speak '${body.voice.languageCode}'.`);
  if (JSON.stringify(body.audioConfig) !== JSON.stringify({ audioEncoding: 'LINEAR16', sampleRateHertz: 24000 })) return invalid('test server: audioConfig');
  if (JSON.stringify(body.enableTimePointing) !== '["SSML_MARK"]') return invalid('test server: enableTimePointing');
  const ssml = body.input?.ssml ?? '';
  if (Buffer.byteLength(ssml) > 5000) return invalid('Either `input.text` or `input.ssml` is longer than the limit of 5000 bytes.');
  const read = readSsml(ssml);
  if (!read?.words.length) return invalid('Invalid SSML: the document is not well-formed.');
  const { seconds, starts } = fakeSpeech(read.words);
  return {
    body: {
      audioContent: toneWav(seconds, { frequency: TONE_HZ }).toString('base64'),
      timepoints: read.marks.map((mark, i) => ({ markName: `w${mark}`, timeSeconds: starts[i] })),
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000 },
    },
  };
}

const server = await startVendorServer(google);
const scratch = mkdtempSync(join(tmpdir(), 'google-tts-'));
const keyFile = join(scratch, 'service-account.json');
const serviceAccount = { type: 'service_account', project_id: 'scriptsensei-test', private_key_id: 'k1', private_key: privateKey, client_email: ACCOUNT, client_id: '1', token_uri: `${server.url}/token` };
writeFileSync(keyFile, JSON.stringify(serviceAccount));
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const create = (options: GoogleTTSOptions = {}) => createGoogleTTS({ apiKey: KEY, baseUrl: server.url, env: {}, ...options });
const synthesisSince = (from: number) => server.requests.slice(from).filter((r) => r.path === SYNTHESIS);

runTTSProviderContract({ name: 'google (local fake API)', create: () => create(), capabilities: { listVoices: true, knownVoice: 'en-US-Neural2-F' }, stallNextSynthesis: () => stallNext(server) });

runVendorBehaviour({
  name: 'google',
  server: () => server,
  secret: KEY,
  path: SYNTHESIS,
  call: (http, signal) => create({ ...http, voice: 'en-US-Neural2-F' }).synthesize({ text: 'Behaviour check.', language: 'en-US', outputPath: join(scratch, 'behaviour.wav'), signal }),
});

describe('google protocol', () => {
  it('posts marked SSML with the key in a header, and writes the LINEAR16 audio it gets back as WAV', async () => {
    const text = 'Protocol check, with a comma. And a second sentence.';
    const path = join(scratch, 'protocol.wav');
    const from = server.requests.length;
    const result = await create({ voice: 'en-US-Neural2-F' }).synthesize({ text, language: 'en-US', outputPath: path });
    const [sent, ...more] = synthesisSince(from);
    expect(more).toHaveLength(0);
    expect(server.requests.slice(from).map((r) => r.path)).toEqual([SYNTHESIS]);
    expect(sent).toMatchObject({ method: 'POST', path: SYNTHESIS });
    expect(sent!.headers['x-goog-api-key']).toBe(KEY);
    expect(sent!.headers.authorization).toBeUndefined();
    expect(sent!.url.search).toBe('');
    const body = bodyOf(sent!);
    expect(body).toEqual({
      input: { ssml: expect.any(String) },
      voice: { languageCode: 'en-US', name: 'en-US-Neural2-F' },
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 24000 },
      enableTimePointing: ['SSML_MARK'],
    });
    const words = captionWords(text);
    expect(readSsml(body.input.ssml)).toEqual({ marks: words.map((_, i) => i), words, text: joinWords(words) });

    const { seconds, starts } = fakeSpeech(words);
    const wav = await readFile(path);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(24_000);
    expect(wav.subarray(44).equals(toneWav(seconds, { frequency: TONE_HZ }).subarray(44))).toBe(true);
    expect(result.durationSeconds).toBeCloseTo(seconds, 3);
    // Each word from its mark to the next, the last to the end of the audio.
    expect(result.wordTimings).toEqual(words.map((word, i) => ({ word, startSeconds: starts[i], endSeconds: starts[i + 1] ?? result.durationSeconds })));
  });

  it.each(['quotes', 'markup', 'controls', 'newlines', 'emoji', 'rtl', 'cjk', 'filterMeta'])('escapes hostile text (%s) into well-formed SSML with a mark per word', async (label) => {
    const text = HOSTILE_TEXTS[label]!;
    const from = server.requests.length;
    const result = await create({ voice: 'en-US-Neural2-F' }).synthesize({ text, language: 'en-US', outputPath: join(scratch, `hostile-${label}.wav`) });
    const ssml = readSsml(bodyOf(synthesisSince(from)[0]!).input.ssml);
    expect(ssml, 'well-formed SSML').toBeDefined();
    const words = captionWords(text);
    expect(ssml!.marks).toEqual(words.map((_, i) => i));
    // Characters XML cannot carry (NUL, bell, escape…) are spoken as spaces; everything else as written.
    expect(ssml!.text).toBe(joinWords(words).replace(NOT_XML, ' '));
    expect(result.wordTimings!.map((w) => w.word)).toEqual(words);
  });

  it('speaks a text over the 5000-byte SSML limit in parts cut at sentence ends, and joins audio and timings', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `这是第${i}个很长的测试句子。`).join('');
    const words = captionWords(text);
    const path = join(scratch, 'long.wav');
    const from = server.requests.length;
    const result = await create({ voice: 'cmn-CN-Wavenet-A' }).synthesize({ text, language: 'zh-CN', outputPath: path });
    const parts = synthesisSince(from).map((r) => readSsml(bodyOf(r).input.ssml)!);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((p) => p.marks)).toEqual(words.map((_, i) => i));
    for (const part of parts.slice(0, -1)) expect(part.words.at(-1)).toMatch(/。$/);
    for (const request of synthesisSince(from)) expect(Buffer.byteLength(bodyOf(request).input.ssml)).toBeLessThanOrEqual(5000);

    const spoken = parts.map((p) => fakeSpeech(p.words));
    const wav = await readFile(path);
    expect(wav.subarray(44).equals(Buffer.concat(spoken.map((s) => toneWav(s.seconds, { frequency: TONE_HZ }).subarray(44))))).toBe(true);
    expect(result.durationSeconds).toBeCloseTo(spoken.reduce((sum, s) => sum + s.seconds, 0), 3);
    // The first word of the second part starts at its mark, after all of the first part.
    const second = parts[1]!.marks[0]!;
    expect(result.wordTimings![second]!.startSeconds).toBeCloseTo(spoken[0]!.seconds + spoken[1]!.starts[0]!, 6);
    expect(result.wordTimings![second - 1]!.endSeconds).toBe(result.wordTimings![second]!.startSeconds);
    expect(result.wordTimings!.every((w, i, all) => w.endSeconds >= w.startSeconds && (i === 0 || w.startSeconds >= all[i - 1]!.startSeconds))).toBe(true);
  });

  it('an unknown voice is the vendor 400, not retryable', async () => {
    const error = await failure(create().synthesize({ text: 'Nobody speaks this.', language: 'en-US', voice: 'en-US-Nobody-Z', outputPath: join(scratch, 'nobody.wav') }));
    expect(ProviderError.is(error), String(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as ProviderError).message).toContain("Voice 'en-US-Nobody-Z' does not exist");
  });

  it('an answer without timepoints (a voice ignoring marks) gives audio and no word timings', async () => {
    server.failNext({ body: { audioContent: toneWav(1.5, { frequency: TONE_HZ }).toString('base64') } });
    const result = await create({ voice: 'en-US-Chirp3-HD-Kore' }).synthesize({ text: 'No marks here.', language: 'en-US', outputPath: join(scratch, 'no-marks.wav') });
    expect(result.durationSeconds).toBeCloseTo(1.5, 3);
    expect(result.wordTimings).toBeUndefined();
  });
});

describe('google voices', () => {
  it('lists the voices once, with their languages', async () => {
    const tts = create();
    const from = server.requests.length;
    const voices = await tts.listVoices!();
    expect(voices).toHaveLength(VOICES.length);
    expect(voices).toContainEqual({ id: 'en-US-Neural2-F', name: 'en-US-Neural2-F (female)', languages: ['en-US'] });
    await tts.listVoices!();
    await tts.resolveVoice!('fr-FR');
    await tts.synthesize({ text: 'Bonjour.', language: 'fr-FR', outputPath: join(scratch, 'fr.wav') });
    expect(server.requests.slice(from).filter((r) => r.path === '/v1/voices')).toHaveLength(1);
  });

  it('picks a voice for the language: its exact locale, else the locale with most voices; Neural2, then Wavenet, then Standard', async () => {
    const tts = create();
    const picks = await Promise.all(['en-US', 'en', 'en-IN', 'fr', 'fr-CA', 'de-DE', 'zh-CN', 'zh-HK', 'zh'].map((language) => tts.resolveVoice!(language)));
    expect(picks).toEqual([
      'en-US-Neural2-C',
      'en-US-Neural2-C',
      'en-US-Neural2-C',
      'fr-FR-Wavenet-A',
      'fr-CA-Neural2-A',
      'de-DE-Standard-A',
      'cmn-CN-Wavenet-A',
      'yue-HK-Standard-A',
      'cmn-CN-Wavenet-A',
    ]);
  });

  it('synthesizes with the picked voice and its language code when the request names none', async () => {
    const from = server.requests.length;
    await create().synthesize({ text: '你好，世界。', language: 'zh-CN', outputPath: join(scratch, 'zh.wav') });
    expect(bodyOf(synthesisSince(from)[0]!).voice).toEqual({ languageCode: 'cmn-CN', name: 'cmn-CN-Wavenet-A' });
  });

  it('resolves named voices ignoring case, the option voice by default, and refuses unknown ones on `voice` or `language`', async () => {
    await expect(create().resolveVoice!('en-US', 'EN-gb-neural2-a')).resolves.toBe('en-GB-Neural2-A');
    await expect(create({ voice: 'en-US-Wavenet-D' }).resolveVoice!('en-US')).resolves.toBe('en-US-Wavenet-D');
    const voice = await failure(create().resolveVoice!('en-US', 'en-US-Nobody-Z'));
    expect(ValidationError.is(voice) && voice.issues[0]).toMatchObject({ field: 'voice', message: expect.stringContaining('en-US-Neural2-C') });
    const language = await failure(create().resolveVoice!('xx-YY'));
    expect(ValidationError.is(language) && language.issues[0]).toMatchObject({ field: 'language', message: expect.stringContaining('en-US') });
    const synthesis = await failure(create().synthesize({ text: 'Hi.', language: 'xx-YY', outputPath: join(scratch, 'xx.wav') }));
    expect(ValidationError.is(synthesis) && synthesis.issues[0]!.field).toBe('language');
  });

  it('does not keep a failed list: the next call asks again', async () => {
    const tts = create({ maxRetries: 0 });
    server.failNext({ status: 503, body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } } });
    await expect(tts.listVoices!()).rejects.toSatisfy((e: unknown) => ProviderError.is(e) && e.retryable);
    await expect(tts.listVoices!()).resolves.toHaveLength(VOICES.length);
    await expect(tts.healthCheck!()).resolves.toBeUndefined();
  });
});

describe('google service account', () => {
  it('gets a bearer token with a signed JWT grant from the key file token_uri, once, and sends it', async () => {
    const tts = create({ apiKey: undefined, credentialsFile: keyFile });
    const from = server.requests.length;
    await tts.synthesize({ text: 'Signed in as a service account.', language: 'en-US', voice: 'en-US-Neural2-F', outputPath: join(scratch, 'sa-1.wav') });
    await tts.synthesize({ text: 'And again, with the same token.', language: 'en-US', voice: 'en-US-Neural2-F', outputPath: join(scratch, 'sa-2.wav') });
    const requests = server.requests.slice(from);
    expect(requests.map((r) => r.path)).toEqual(['/token', SYNTHESIS, SYNTHESIS]);
    for (const request of requests.slice(1)) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['x-goog-api-key']).toBeUndefined();
    }
  });

  it('reads the key file from GOOGLE_APPLICATION_CREDENTIALS when no API key is set', async () => {
    const tts = createGoogleTTS({ env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile, GOOGLE_TTS_ENDPOINT: server.url } });
    await expect(tts.listVoices!()).resolves.toHaveLength(VOICES.length);
  });

  it('a refused grant is a non-retryable ProviderError without the private key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const wrongKey = join(scratch, 'wrong-key.json');
    writeFileSync(wrongKey, JSON.stringify({ ...serviceAccount, private_key: other.privateKey }));
    const error = await failure(create({ apiKey: undefined, credentialsFile: wrongKey }).listVoices!());
    expect(ProviderError.is(error), String(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as ProviderError).message).toContain('invalid_grant');
    expect(String(error)).not.toContain(other.privateKey.split('\n')[1]);
  });

  it('without google-auth-library installed, a service account is a ConfigurationError saying what to install', async () => {
    vi.doMock('google-auth-library', () => {
      throw new Error("Cannot find package 'google-auth-library'");
    });
    try {
      const error = await failure(create({ apiKey: undefined, credentialsFile: keyFile }).listVoices!());
      expect(ConfigurationError.is(error) && error.message).toMatch(/npm install google-auth-library/);
    } finally {
      vi.doUnmock('google-auth-library');
    }
  });

  it('refuses a missing or non-service-account key file at creation', () => {
    const missing = thrown(() => create({ apiKey: undefined, credentialsFile: join(scratch, 'absent.json') }));
    expect(ConfigurationError.is(missing) && missing.message).toMatch(/absent\.json \(from option credentialsFile\)/);
    const user = join(scratch, 'authorized-user.json');
    writeFileSync(user, JSON.stringify({ type: 'authorized_user', client_id: 'x', client_secret: 'y', refresh_token: 'z' }));
    const wrongType = thrown(() => createGoogleTTS({ env: { GOOGLE_APPLICATION_CREDENTIALS: user } }));
    expect(ConfigurationError.is(wrongType) && wrongType.message).toMatch(/not a service-account key file/);
  });
});

describe('google configuration', () => {
  it('reads the key from GOOGLE_TTS_API_KEY, then GOOGLE_API_KEY, and the endpoint from GOOGLE_TTS_ENDPOINT', async () => {
    for (const env of [{ GOOGLE_TTS_API_KEY: KEY, GOOGLE_API_KEY: 'other-google-key' }, { GOOGLE_API_KEY: KEY }]) {
      const tts = createGoogleTTS({ env: { ...env, GOOGLE_TTS_ENDPOINT: `${server.url}/`, GOOGLE_APPLICATION_CREDENTIALS: keyFile } });
      const from = server.requests.length;
      await tts.listVoices!();
      expect(server.requests.slice(from).map((r) => [r.path, r.headers['x-goog-api-key']])).toEqual([['/v1/voices', KEY]]);
    }
  });

  it('a credentialsFile option wins over an API key in the environment', async () => {
    const tts = createGoogleTTS({ credentialsFile: keyFile, baseUrl: server.url, env: { GOOGLE_API_KEY: 'a-key-for-another-api' } });
    const from = server.requests.length;
    await tts.listVoices!();
    expect(server.requests.slice(from).map((r) => r.path)).toEqual(['/token', '/v1/voices']);
  });

  it('needs credentials, naming the variables', () => {
    const error = thrown(() => createGoogleTTS({ env: {} }));
    expect(ConfigurationError.is(error) && error.message).toMatch(/GOOGLE_TTS_API_KEY, GOOGLE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS/);
    expect(() => create({ baseUrl: 'texttospeech.googleapis.com' })).toThrow(/baseUrl must be an http\(s\) URL/);
  });

  it('fingerprints the voice and format, never the key, and times words', () => {
    const a = create();
    const b = create({ voice: 'en-US-Wavenet-D' });
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.fingerprint).toContain('LINEAR16');
    expect([a, b].every((t) => !t.fingerprint!.includes(KEY))).toBe(true);
    expect(a.wordTimings).toBe(true);
  });
});

describe('google in a captioned render', () => {
  it('renders an MP4 whose narration is the vendor audio and whose cues start at the mark times', async () => {
    const storage = createLocalStorage({ directory: join(scratch, 'storage') });
    const pipeline = createPipeline({ tts: create(), images: createSlides(), storage, tempDir: scratch });
    const script = 'Google speaks this first scene, with a pause here. Then a second sentence follows it.\n\nA closing scene ends the video.';
    const from = server.requests.length;
    const result = await pipeline.run({ script, title: 'Google', captions: true });
    const video = join(storage.root, result.key);

    const probe = await probeMedia(video);
    expect(probe.streams.some((s) => s.codecType === 'audio')).toBe(true);
    const first = result.scenes[0]!;
    const span = { fromSeconds: first.startSeconds + 0.3, toSeconds: first.startSeconds + first.audioSeconds - 0.2 };
    const { tone, elsewhere } = await toneLevels(video, span, TONE_HZ);
    expect(tone).toBeGreaterThan(-40);
    expect(tone - elsewhere).toBeGreaterThanOrEqual(25);

    // Every word where its mark says, on the video's clock, in order.
    const synthesized = synthesisSince(from).map((r) => readSsml(bodyOf(r).input.ssml)!.text);
    const words = result.scenes.flatMap((scene) => {
      const sceneWords = captionWords(scene.text);
      expect(synthesized).toContain(joinWords(sceneWords));
      const { starts } = fakeSpeech(sceneWords);
      return sceneWords.map((word, i) => ({ word, startSeconds: scene.startSeconds + starts[i]! }));
    });
    expectCuesOnWords(await parseSubtitles(join(storage.root, result.captions!.srt.key)), words);
  }, 120_000);
});
