import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { TTSProvider, TTSRequest, TTSResult, VoiceInfo } from '@scriptsensei/core';
import { ConfigurationError, ProviderError, ValidationError, throwIfAborted, wavDurationSeconds } from '@scriptsensei/core';
import { optionOrEnv, pcmSeconds, pcmWav, trimBase, vendorBytes, vendorJson, sharedAnswer, untilAborted, type VendorHttpOptions, type VendorOptions } from '../../vendor/index.js';
import { loadWebSocket, synthesizeOverWebSocket } from './azure-websocket.js';
import { speakableText } from '../ssml-text.js';
import { buildSsml } from './ssml.js';
import { findVoice, parseVoiceList, sampleLocales, sampleVoices, toVoiceInfo, voiceForLanguage } from './voices.js';
import { wordTimings } from './word-timings.js';
import { PROVIDER } from './provider-id.js';

/** The 16-bit mono PCM formats: their WAV header gives each file's exact duration. */
const SAMPLE_RATES = {
  'riff-8khz-16bit-mono-pcm': 8_000,
  'riff-16khz-16bit-mono-pcm': 16_000,
  'riff-22050hz-16bit-mono-pcm': 22_050,
  'riff-24khz-16bit-mono-pcm': 24_000,
  'riff-44100hz-16bit-mono-pcm': 44_100,
  'riff-48khz-16bit-mono-pcm': 48_000,
} as const;

/** An Azure output format this provider writes: 16-bit mono PCM WAV at one of Azure's rates. */
export type AzureOutputFormat = keyof typeof SAMPLE_RATES;

export interface AzureTTSOptions extends VendorOptions {
  /**
   * Key of the Azure Speech resource, sent as `Ocp-Apim-Subscription-Key`.
   * @defaultValue `AZURE_SPEECH_KEY`
   */
  apiKey?: string;
  /**
   * Region of the Speech resource, e.g. `westeurope`: the service is `https://{region}.tts.speech.microsoft.com`.
   * @defaultValue `AZURE_SPEECH_REGION`
   */
  region?: string;
  /**
   * The service's base URL (a proxy, another regional host, a local test server); it wins
   * over `region`. The websocket URL is derived from it (`https` → `wss`, `http` → `ws`).
   * @defaultValue `AZURE_SPEECH_ENDPOINT`, else `https://{region}.tts.speech.microsoft.com`
   */
  baseUrl?: string;
  /**
   * Voice for requests that name none, by short name (`en-US-JennyNeural`); `undefined` picks
   * one for the request's language.
   * @defaultValue undefined
   */
  voice?: string;
  /**
   * Audio format requested from Azure (always 16-bit mono PCM, so durations are exact).
   * @defaultValue 'riff-24khz-16bit-mono-pcm'
   */
  outputFormat?: AzureOutputFormat;
  /**
   * Synthesize over the websocket protocol, which reports when each word is spoken (captions
   * then follow the voice word by word). Needs the optional `ws` package. `false` uses the REST
   * API, which reports no timings.
   * @defaultValue true
   */
  wordBoundaries?: boolean;
  /**
   * Where the `AZURE_SPEECH_*` variables are read.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

export interface AzureTTS extends TTSProvider {
  readonly wordTimings: boolean;
  resolveVoice(language: string, voice?: string): Promise<string>;
  listVoices(): Promise<VoiceInfo[]>;
  /** Lists the voices (so checks key and endpoint) and, for word boundaries, loads `ws`. */
  healthCheck(): Promise<void>;
}

/**
 * Text-to-speech with Azure AI Speech. By default it speaks over the websocket protocol of the
 * Speech SDK to get word boundaries for captions; `wordBoundaries: false` uses the REST API.
 */
export function createAzureTTS(options: AzureTTSOptions = {}): AzureTTS {
  const env = options.env ?? process.env;
  const apiKey = optionOrEnv(options.apiKey, env, 'AZURE_SPEECH_KEY');
  if (!apiKey) throw new ConfigurationError(`${PROVIDER}: no Speech key: pass apiKey or set AZURE_SPEECH_KEY`);
  const base = serviceUrl(options, env);
  const format = options.outputFormat ?? 'riff-24khz-16bit-mono-pcm';
  const sampleRate = SAMPLE_RATES[format];
  if (!sampleRate) throw new ConfigurationError(`${PROVIDER}: outputFormat must be one of ${Object.keys(SAMPLE_RATES).join(', ')}; got ${String(format)}`);
  const websocket = options.wordBoundaries ?? true;
  const { timeoutMs, maxRetries, retryBaseMs, maxRetryDelayMs, fetch } = options;
  const http: VendorHttpOptions = { timeoutMs, maxRetries, retryBaseMs, maxRetryDelayMs, fetch };
  const auth = { 'Ocp-Apim-Subscription-Key': apiKey, 'User-Agent': 'scriptsensei' };
  const secrets = [apiKey];

  const loadVoices = sharedAnswer(() =>
    vendorJson<unknown>({ provider: PROVIDER, action: 'voice list', url: `${base}/cognitiveservices/voices/list`, headers: auth, secrets }, http).then(parseVoiceList),
  );

  async function resolveVoice(language: string, voice?: string): Promise<string> {
    const all = await loadVoices();
    if (voice) {
      const found = findVoice(all, voice);
      if (!found) throw new ValidationError([{ field: 'voice', message: `Azure has no voice "${voice}" (it has ${sampleVoices(all, language)})` }]);
      return found.ShortName;
    }
    const found = voiceForLanguage(all, language);
    if (!found) throw new ValidationError([{ field: 'language', message: `Azure has no voice for "${language}"; it speaks ${sampleLocales(all)}` }]);
    return found.ShortName;
  }

  /** The request's voice: a named one is passed through (Azure refuses an unknown one with a 400). */
  async function voiceFor(request: TTSRequest): Promise<string> {
    const named = request.voice ?? options.voice;
    return named ?? (await untilAborted(resolveVoice(request.language), request.signal));
  }

  return {
    specificationVersion: 'v1',
    provider: PROVIDER,
    fingerprint: JSON.stringify({ voice: options.voice, format, transport: websocket ? 'websocket' : 'rest' }),
    wordTimings: websocket,
    resolveVoice,
    listVoices: async () => (await loadVoices()).map(toVoiceInfo),
    async healthCheck() {
      if (websocket) await loadWebSocket();
      await loadVoices();
    },
    async synthesize(request: TTSRequest): Promise<TTSResult> {
      throwIfAborted(request.signal);
      const voice = await voiceFor(request);
      const text = speakableText(request.text);
      const ssml = buildSsml(text, request.language, voice);
      if (websocket) {
        const turn = await synthesizeOverWebSocket(
          {
            url: `${base.replace(/^http/i, 'ws')}/cognitiveservices/websocket/v1`,
            headers: { ...auth, 'X-ConnectionId': randomUUID().replaceAll('-', '') },
            ssml,
            rawFormat: format.replace(/^riff-/, 'raw-'),
            signal: request.signal,
            secrets,
          },
          http,
        );
        if (!turn.pcm.length) throw new ProviderError(PROVIDER, `synthesis with voice ${voice} returned no audio`, { retryable: false });
        await writeFile(request.outputPath, pcmWav(turn.pcm, sampleRate));
        const durationSeconds = pcmSeconds(turn.pcm.length, sampleRate);
        return { durationSeconds, wordTimings: wordTimings(text, turn.boundaries, durationSeconds) };
      }
      const { bytes } = await vendorBytes(
        {
          provider: PROVIDER,
          action: 'synthesis',
          url: `${base}/cognitiveservices/v1`,
          headers: { ...auth, 'Content-Type': 'application/ssml+xml', 'X-Microsoft-OutputFormat': format },
          body: ssml,
          signal: request.signal,
          secrets,
        },
        http,
      );
      await writeFile(request.outputPath, bytes);
      const durationSeconds = await wavDurationSeconds(request.outputPath);
      if (durationSeconds === undefined) throw new ProviderError(PROVIDER, `synthesis answered ${bytes.length} bytes that are not a PCM WAV`);
      return { durationSeconds };
    },
  };
}

/** The service's base URL: `baseUrl`, else `region`, else the same from the environment. */
function serviceUrl(options: AzureTTSOptions, env: NodeJS.ProcessEnv): string {
  const fromRegion = (region: string, source: string) => {
    if (!/^[a-z0-9-]+$/i.test(region)) throw new ConfigurationError(`${PROVIDER}: ${source} must be an Azure region such as westeurope; got "${region}"`);
    return `https://${region}.tts.speech.microsoft.com`;
  };
  const base =
    options.baseUrl ??
    (options.region ? fromRegion(options.region, 'region') : undefined) ??
    env.AZURE_SPEECH_ENDPOINT ??
    (env.AZURE_SPEECH_REGION ? fromRegion(env.AZURE_SPEECH_REGION, 'AZURE_SPEECH_REGION') : undefined);
  if (!base) throw new ConfigurationError(`${PROVIDER}: no service to call: pass region or baseUrl, or set AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT)`);
  if (!/^https?:\/\/[^/]/i.test(base)) throw new ConfigurationError(`${PROVIDER}: the base URL must be http(s)://…; got "${base}"`);
  return trimBase(base);
}
