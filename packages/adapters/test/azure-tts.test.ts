import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError, ValidationError, createPipeline } from '@scriptsensei/core';
import { HOSTILE_TEXTS, parseSubtitles, probeMedia, runTTSProviderContract } from '@scriptsensei/core/testing';
import { createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createAzureTTS, type AzureTTSOptions } from '@scriptsensei/adapters/tts/azure';
import { wordTimings } from '../src/tts/azure/word-timings.js';
import { KEY, NOT_XML, SYNTHESIS, VOICES, VOICE_LIST, WEBSOCKET, readSsml, startRestFake, startWebSocketFake } from './helpers/azure-server.js';
import { spokenSeconds, stallNext } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';
import { failure, thrown } from './helpers/outcomes.js';
import { toneLevels } from './helpers/tone-levels.js';

// A fake Azure Speech service (helpers/azure-server.ts): the REST API on one server, the
// websocket protocol on another that also lists voices; both check requests as Azure documents
// them and answer with a 440 Hz tone.
const rest = await startRestFake();
const azure = await startWebSocketFake();
const scratch = mkdtempSync(join(tmpdir(), 'azure-tts-'));
const output = (name: string) => join(scratch, `${name}-${randomUUID()}.wav`);
afterAll(async () => {
  await Promise.all([rest.close(), azure.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

const restTTS = (options: AzureTTSOptions = {}) => createAzureTTS({ apiKey: KEY, baseUrl: rest.url, wordBoundaries: false, env: {}, ...options });
const socketTTS = (options: AzureTTSOptions = {}) => createAzureTTS({ apiKey: KEY, baseUrl: azure.url, env: {}, ...options });

runTTSProviderContract({ name: 'azure-tts (REST)', create: () => restTTS(), capabilities: { listVoices: true, knownVoice: 'en-US-JennyNeural' }, stallNextSynthesis: () => stallNext(rest) });
runTTSProviderContract({ name: 'azure-tts (websocket)', create: () => socketTTS(), capabilities: { listVoices: true, knownVoice: 'en-US-JennyNeural' }, stallNextSynthesis: () => stallNext(azure) });

runVendorBehaviour({
  name: 'azure-tts REST',
  server: () => rest,
  call: (http, signal) => restTTS({ ...http, voice: 'en-US-JennyNeural' }).synthesize({ text: 'Vendor behaviour.', language: 'en-US', outputPath: output('rest-vendor'), signal }),
  secret: KEY,
  path: SYNTHESIS,
});

runVendorBehaviour({
  name: 'azure-tts websocket',
  server: () => azure,
  call: (http, signal) => socketTTS({ ...http, voice: 'en-US-JennyNeural' }).synthesize({ text: 'Vendor behaviour.', language: 'en-US', outputPath: output('ws-vendor'), signal }),
  secret: KEY,
  path: WEBSOCKET,
});

describe('azure-tts REST requests', () => {
  it('POSTs SSML with the key, the PCM format and our user agent, and reports the WAV duration', async () => {
    const arrived = rest.nextRequest();
    const text = 'A plain REST request.';
    const result = await restTTS({ voice: 'en-US-JennyNeural' }).synthesize({ text, language: 'en-US', outputPath: output('rest-plain') });
    const request = await arrived;
    expect([request.method, request.path]).toEqual(['POST', SYNTHESIS]);
    expect(request.headers['ocp-apim-subscription-key']).toBe(KEY);
    expect(request.headers['x-microsoft-outputformat']).toBe('riff-24khz-16bit-mono-pcm');
    expect(request.headers['content-type']).toBe('application/ssml+xml');
    expect(readSsml(request.body.toString('utf8'))).toEqual({ language: 'en-US', voice: 'en-US-JennyNeural', text });
    expect(result.durationSeconds).toBeCloseTo(spokenSeconds(text), 3);
    expect(result.wordTimings).toBeUndefined();
  });

  it.each(['quotes', 'markup', 'emoji', 'rtl', 'controls', 'newlines'])('escapes hostile text (%s) into well-formed SSML that carries it', async (label) => {
    const text = HOSTILE_TEXTS[label]!;
    const arrived = rest.nextRequest();
    await restTTS({ voice: 'en-US-JennyNeural' }).synthesize({ text, language: 'en-US', outputPath: output(`rest-${label}`) });
    const ssml = readSsml((await arrived).body.toString('utf8'));
    expect(ssml, 'well-formed SSML').toBeDefined();
    // Characters XML cannot carry (NUL, bell, escape…) are spoken as spaces; everything else as written.
    expect(ssml!.text).toBe(text.replace(new RegExp(NOT_XML.source, 'gu'), ' '));
  });

  it('picks the voice for the language when the request names none', async () => {
    const tts = restTTS();
    await tts.listVoices();
    const arrived = rest.nextRequest();
    await tts.synthesize({ text: 'Guten Tag.', language: 'de-DE', outputPath: output('rest-german') });
    expect(readSsml((await arrived).body.toString('utf8'))?.voice).toBe('de-DE-KatjaNeural');
  });
});

describe('azure-tts voices', () => {
  it('lists voices (cached) and maps them to VoiceInfo', async () => {
    const calls: string[] = [];
    const tts = restTTS({ fetch: (url, init) => (calls.push(String(url)), fetch(url, init)) });
    const voices = await tts.listVoices();
    await tts.resolveVoice('en-US');
    expect(calls).toEqual([`${rest.url}${VOICE_LIST}`]);
    expect(voices).toContainEqual({ id: 'en-US-JennyNeural', name: 'Jenny', languages: ['en-US'] });
    expect(voices.find((v) => v.id === 'en-US-AvaMultilingualNeural')?.languages).toEqual(['en-US', 'de-DE', 'ja-JP']);
  });

  it('resolves a language to a Neural voice of that locale, else of that language', async () => {
    const tts = restTTS();
    expect(await tts.resolveVoice('en-US')).toBe('en-US-JennyNeural');
    expect(await tts.resolveVoice('fr-CA')).toBe('fr-CA-SylvieNeural');
    expect(await tts.resolveVoice('fr-BE')).toBe('fr-FR-DeniseNeural');
    expect(await tts.resolveVoice('en-US', 'microsoft server speech text to speech voice (en-us, jennyneural)')).toBe('en-US-JennyNeural');
  });

  it('refuses an unknown voice or language with a ValidationError naming what exists', async () => {
    const tts = restTTS();
    const voice = await failure(tts.resolveVoice('en-US', 'en-US-NobodyNeural'));
    expect(ValidationError.is(voice) && voice.issues[0]).toMatchObject({ field: 'voice', message: expect.stringContaining('en-US-JennyNeural') });
    const language = await failure(tts.resolveVoice('tlh-QO'));
    expect(ValidationError.is(language) && language.issues[0]).toMatchObject({ field: 'language', message: expect.stringMatching(/de-DE.*en-US/) });
  });
});

describe('azure-tts configuration', () => {
  const fakeFetch = (urls: string[], headers: Headers[]) =>
    (async (url: string | URL | Request, init?: RequestInit) => {
      urls.push(String(url));
      headers.push(new Headers(init?.headers));
      return new Response(JSON.stringify(VOICES), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;

  it('without a key or a region, is a ConfigurationError naming the variable, never the key', () => {
    const noKey = thrown(() => createAzureTTS({ env: { AZURE_SPEECH_REGION: 'westeurope' } }));
    const noRegion = thrown(() => createAzureTTS({ env: { AZURE_SPEECH_KEY: KEY } }));
    expect(ConfigurationError.is(noKey) && noKey.message).toMatch(/AZURE_SPEECH_KEY/);
    expect(ConfigurationError.is(noRegion) && noRegion.message).toMatch(/AZURE_SPEECH_REGION/);
    expect((noRegion as Error).message).not.toContain(KEY);
  });

  it('refuses a region that is not one, and an output format it cannot time', () => {
    expect(() => createAzureTTS({ apiKey: KEY, region: 'west europe/../x' })).toThrow(/region/);
    expect(() => createAzureTTS({ apiKey: KEY, region: 'westeurope', outputFormat: 'audio-24khz-48kbitrate-mono-mp3' as never })).toThrow(/outputFormat/);
  });

  it('reads key, region and endpoint from the environment, options first', async () => {
    const urls: string[] = [];
    const headers: Headers[] = [];
    await createAzureTTS({ env: { AZURE_SPEECH_KEY: KEY, AZURE_SPEECH_REGION: 'westeurope' }, fetch: fakeFetch(urls, headers) }).listVoices();
    await createAzureTTS({ env: { AZURE_SPEECH_KEY: KEY, AZURE_SPEECH_ENDPOINT: 'https://proxy.example/tts/' }, fetch: fakeFetch(urls, headers) }).listVoices();
    await createAzureTTS({ apiKey: 'other-key-123456', region: 'eastus', env: { AZURE_SPEECH_KEY: KEY, AZURE_SPEECH_ENDPOINT: 'https://proxy.example' }, fetch: fakeFetch(urls, headers) }).listVoices();
    expect(urls).toEqual([
      `https://westeurope.tts.speech.microsoft.com${VOICE_LIST}`,
      `https://proxy.example/tts${VOICE_LIST}`,
      `https://eastus.tts.speech.microsoft.com${VOICE_LIST}`,
    ]);
    expect(headers.map((h) => h.get('ocp-apim-subscription-key'))).toEqual([KEY, KEY, 'other-key-123456']);
  });

  it('is the provider "azure", and fingerprints voice, format and transport, never the key', () => {
    expect(socketTTS().provider).toBe('azure');
    const prints = [socketTTS(), restTTS(), socketTTS({ voice: 'en-GB-SoniaNeural' }), socketTTS({ outputFormat: 'riff-48khz-16bit-mono-pcm' })].map((t) => t.fingerprint);
    expect(new Set(prints).size).toBe(4);
    for (const print of prints) expect(print).not.toContain(KEY);
    expect(socketTTS({ apiKey: 'another-key-987654' }).fingerprint).toBe(prints[0]);
  });

  it('healthCheck fails with the vendor message on a bad key', async () => {
    const error = await failure(restTTS({ apiKey: 'wrong-key-000000' }).healthCheck());
    expect(ProviderError.is(error) && { status: error.status, retryable: error.retryable }).toEqual({ status: 401, retryable: false });
    expect((error as Error).message).toMatch(/Access denied/);
    await expect(socketTTS().healthCheck()).resolves.toBeUndefined();
  });
});

describe('azure-tts websocket protocol and word boundaries', () => {
  it('upgrades with the key, sends speech.config, synthesis.context and SSML under one request id', async () => {
    const text = `Protocol check ${randomUUID()}.`;
    const outputPath = output('ws-protocol');
    const result = await socketTTS({ voice: 'en-GB-SoniaNeural' }).synthesize({ text, language: 'en-GB', outputPath });
    const turn = azure.turns.find((t) => t.text === text)!;
    expect(turn.upgradeHeaders['ocp-apim-subscription-key']).toBe(KEY);
    expect(turn.upgradeHeaders['user-agent']).toBe('scriptsensei');
    expect(turn.frames.map((f) => f.path)).toEqual(['speech.config', 'synthesis.context', 'ssml']);
    expect(new Set(turn.frames.map((f) => f.headers['x-requestid'])).size).toBe(1);
    expect(turn.frames[0]!.headers['x-requestid']).toMatch(/^[0-9a-f]{32}$/);
    expect(turn.frames[2]!.headers['content-type']).toBe('application/ssml+xml');
    expect([turn.language, turn.voice]).toEqual(['en-GB', 'en-GB-SoniaNeural']);
    expect(result.durationSeconds).toBeCloseTo(turn.seconds, 3);
    const probed = await probeMedia(outputPath);
    expect(probed.streams[0]).toMatchObject({ codecType: 'audio', codecName: 'pcm_s16le' });
    expect(probed.format.duration).toBeCloseTo(turn.seconds, 3);
  });

  it('times every word of the text by its boundary: in order, all words, within the audio', async () => {
    const text = `“Timings,” she said — twice: once here, and once there (${randomUUID().slice(0, 8)}).`;
    const result = await socketTTS().synthesize({ text, language: 'en-US', outputPath: output('ws-timings') });
    const turn = azure.turns.find((t) => t.text === text)!;
    const timings = result.wordTimings!;
    expect(timings.map((w) => w.word)).toEqual(text.split(/\s+/));
    for (const [i, w] of timings.entries()) {
      expect(w.endSeconds).toBeGreaterThanOrEqual(w.startSeconds);
      if (i > 0) expect(w.startSeconds).toBeGreaterThanOrEqual(timings[i - 1]!.endSeconds);
    }
    expect(timings.at(-1)!.endSeconds).toBeLessThanOrEqual(result.durationSeconds!);
    // Each timed word starts and ends where the service said its word does.
    const timed = timings.filter((w) => w.endSeconds > w.startSeconds);
    expect(timed.map((w) => [w.startSeconds, w.endSeconds])).toEqual(turn.boundaries.map((b) => [b.startSeconds, b.endSeconds]).map(([s, e]) => [expect.closeTo(s!, 6), expect.closeTo(e!, 6)]));
  });

  it('an unknown voice is refused by the service (close 1007): a non-retryable ProviderError with its reason', async () => {
    const error = await failure(socketTTS({ voice: 'en-US-NobodyNeural' }).synthesize({ text: 'Hi.', language: 'en-US', outputPath: output('ws-unknown') }));
    expect(ProviderError.is(error) && { status: error.status, retryable: error.retryable }).toEqual({ status: 400, retryable: false });
    expect((error as Error).message).toMatch(/1007.*Unsupported voice en-US-NobodyNeural/);
  });
});

describe('word timings from boundaries', () => {
  const at = (text: string, start: number, end: number) => ({ text, startSeconds: start, endSeconds: end });

  it('cuts text written without spaces at each boundary, keeping punctuation on its word', () => {
    const timings = wordTimings('这是一个测试。', [at('这是', 0.1, 0.3), at('一个', 0.3, 0.5), at('测试', 0.5, 0.9)], 1);
    expect(timings.map((w) => w.word)).toEqual(['这是', '一个', '测试。']);
  });

  it('gives a word Azure did not time no duration, and keeps times within the audio and in order', () => {
    const timings = wordTimings('— Hello 🚀 world', [at('Hello', 0.2, 0.5), at('world', 0.4, 1.5), at('missing', 2, 3)], 1.2);
    expect(timings).toEqual([
      { word: '—', startSeconds: 0, endSeconds: 0 },
      { word: 'Hello', startSeconds: 0.2, endSeconds: 0.5 },
      { word: '🚀', startSeconds: 0.5, endSeconds: 0.5 },
      { word: 'world', startSeconds: 0.5, endSeconds: 1.2 },
    ]);
  });
});

describe('azure-tts in the pipeline', () => {
  it('renders an MP4 with the service’s tone and SRT cues on its word boundaries', async () => {
    const directory = mkdtempSync(join(scratch, 'render-'));
    const storage = createLocalStorage({ directory });
    const pipeline = createPipeline({ tts: socketTTS(), images: createSlides(), storage });
    const script = 'Captions follow each word Azure reports. This second sentence makes a second cue, timed by the voice itself.';
    const result = await pipeline.run({ script, captions: true, quality: 'preview' });
    expect(result.scenes).toHaveLength(1);
    const video = join(storage.root, result.key);
    const { tone, elsewhere } = await toneLevels(video, { fromSeconds: 0.5, toSeconds: 2.5 });
    expect(tone).toBeGreaterThan(-30);
    expect(tone - elsewhere).toBeGreaterThan(20);

    const turn = azure.turns.find((t) => t.text === script)!;
    const cues = await parseSubtitles(join(storage.root, result.captions!.srt.key));
    expect(cues.length).toBeGreaterThanOrEqual(2);
    expect(cues.map((c) => c.text).join(' ').replace(/\s+/g, ' ')).toBe(script);
    const near = (t: number, times: number[]) => Math.min(...times.map((x) => Math.abs(x - t)));
    for (const cue of cues) {
      expect(near(cue.startSeconds, turn.boundaries.map((b) => b.startSeconds)), `cue "${cue.text}" start`).toBeLessThan(0.002);
      expect(near(cue.endSeconds, turn.boundaries.map((b) => b.endSeconds)), `cue "${cue.text}" end`).toBeLessThan(0.002);
    }
    expect(cues[0]!.startSeconds).toBeCloseTo(turn.boundaries[0]!.startSeconds, 2);
    expect(cues.at(-1)!.endSeconds).toBeCloseTo(turn.boundaries.at(-1)!.endSeconds, 2);
  }, 120_000);
});
