import { writeFile } from 'node:fs/promises';
import type { TTSProvider, TTSRequest, TTSResult } from '@scriptsensei/core';
import { ConfigurationError, ProviderError, captionWords, throwIfAborted } from '@scriptsensei/core';
import { httpBase, optionOrEnv, pcmWav, sharedAnswer, untilAborted, vendorJson, type VendorOptions } from '../../vendor/index.js';
import { apiKeyAuthorization, serviceAccountAuthorization, type GoogleAuthorization } from './auth.js';
import { linear16, type Pcm } from './linear16.js';
import { PROVIDER } from './provider-id.js';
import { markIndex, markedSsml } from './ssml.js';
import { chooseVoice, parseVoices, toVoiceInfo, voiceLanguage } from './voices.js';
import { timeWords } from './word-timings.js';

export interface GoogleTTSOptions extends VendorOptions {
  /**
   * API key, sent as the `X-Goog-Api-Key` header. Takes precedence over a service account.
   * @defaultValue `GOOGLE_TTS_API_KEY`, else `GOOGLE_API_KEY` (unless `credentialsFile` is passed)
   */
  apiKey?: string;
  /**
   * Path of a service-account key file (JSON), used when no `apiKey` is passed: its bearer
   * tokens come from google-auth-library (an optional peer dependency) and the file's `token_uri`.
   * @defaultValue `GOOGLE_APPLICATION_CREDENTIALS`, when no API key variable is set
   */
  credentialsFile?: string;
  /**
   * Base URL of the API (a regional endpoint such as `https://eu-texttospeech.googleapis.com`,
   * a proxy, a test server).
   * @defaultValue `GOOGLE_TTS_ENDPOINT`, else `https://texttospeech.googleapis.com`
   */
  baseUrl?: string;
  /**
   * Voice for requests naming none, e.g. `en-US-Neural2-C`; `undefined` picks one for the
   * request's language (Neural2, else Wavenet, else Standard).
   * @defaultValue undefined
   */
  voice?: string;
  /**
   * Where the `GOOGLE_*` variables are read from.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_BASE_URL = 'https://texttospeech.googleapis.com';
const AUDIO_CONFIG = { audioEncoding: 'LINEAR16', sampleRateHertz: 24_000 } as const;

/** The answer of `POST /v1beta1/text:synthesize` (the fields used here). */
interface SynthesisAnswer {
  audioContent?: string;
  timepoints?: { markName?: string; timeSeconds?: number }[];
}

/**
 * Speech from Google Cloud Text-to-Speech, timed word by word: the text goes as SSML with a
 * `<mark>` before each caption word, and the marks' timepoints become the word timings. Writes
 * 16-bit PCM WAV at 24 kHz. A text over Google's 5000-byte SSML limit is spoken in parts, cut at
 * sentence ends, and joined. Voices come from `GET /v1/voices`, listed once per provider.
 */
export function createGoogleTTS(options: GoogleTTSOptions = {}): TTSProvider {
  const env = options.env ?? process.env;
  const base = httpBase(PROVIDER, 'baseUrl', optionOrEnv(options.baseUrl, env, 'GOOGLE_TTS_ENDPOINT') ?? DEFAULT_BASE_URL);
  const auth = authorization(options, env);

  const call = async <T>(action: string, path: string, signal?: AbortSignal, body?: object): Promise<T> => {
    const { headers, secret } = await auth.authorize(signal);
    return vendorJson<T>(
      {
        provider: PROVIDER,
        action,
        url: `${base}${path}`,
        headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
        body: body && JSON.stringify(body),
        signal,
        secrets: [secret],
      },
      options,
    );
  };

  const voiceList = sharedAnswer(() => call<{ voices?: unknown }>('voice list', '/v1/voices').then(parseVoices));

  /** `voice` as synthesis takes it. A named voice is sent as it is: Google judges it (400 when unknown). */
  const selection = async (request: TTSRequest) => {
    const named = request.voice ?? options.voice;
    if (named) return { languageCode: voiceLanguage(named) ?? request.language, name: named };
    const voice = chooseVoice(await untilAborted(voiceList(), request.signal), request.language, undefined);
    return { languageCode: voice.languageCodes[0]!, name: voice.name };
  };

  return {
    specificationVersion: 'v1',
    provider: PROVIDER,
    fingerprint: JSON.stringify({ voice: options.voice, format: AUDIO_CONFIG, api: 'v1beta1' }),
    wordTimings: true,
    listVoices: async () => (await voiceList()).map(toVoiceInfo),
    async resolveVoice(language, voice) {
      return chooseVoice(await voiceList(), language, voice ?? options.voice).name;
    },
    async healthCheck() {
      await voiceList();
    },
    async synthesize(request: TTSRequest): Promise<TTSResult> {
      throwIfAborted(request.signal);
      const voice = await selection(request);
      const words = captionWords(request.text);
      const marks: (number | undefined)[] = [];
      const audio: Pcm[] = [];
      let seconds = 0;
      // One part after another: each part's marks are timed from the end of the parts before it.
      for (const part of markedSsml(words)) {
        const answer = await call<SynthesisAnswer>('synthesis', '/v1beta1/text:synthesize', request.signal, {
          input: { ssml: part.ssml },
          voice,
          audioConfig: AUDIO_CONFIG,
          enableTimePointing: ['SSML_MARK'],
        });
        const pcm = linear16(Buffer.from(answer.audioContent ?? '', 'base64'), AUDIO_CONFIG.sampleRateHertz);
        if (!pcm.samples.length) throw new ProviderError(PROVIDER, 'the answer holds no audio');
        if (audio[0] && (pcm.sampleRate !== audio[0].sampleRate || pcm.channels !== audio[0].channels)) {
          throw new ProviderError(PROVIDER, 'the parts of a long text came back in different audio formats');
        }
        for (const point of answer.timepoints ?? []) {
          const index = markIndex(point.markName);
          if (index !== undefined && index >= part.first && index < part.end && Number.isFinite(point.timeSeconds)) marks[index] = seconds + point.timeSeconds!;
        }
        audio.push(pcm);
        seconds += pcm.samples.length / (2 * pcm.channels * pcm.sampleRate);
      }
      const { sampleRate, channels } = audio[0]!;
      await writeFile(request.outputPath, pcmWav(Buffer.concat(audio.map((a) => a.samples)), sampleRate, channels));
      return { durationSeconds: seconds, wordTimings: timeWords(words, marks, seconds) };
    },
  };
}

/**
 * An API key, else a service account; options win over the environment, so a `credentialsFile`
 * passed in is not overridden by a `GOOGLE_API_KEY` set for another Google API.
 */
function authorization(options: GoogleTTSOptions, env: NodeJS.ProcessEnv): GoogleAuthorization {
  if (options.apiKey) return apiKeyAuthorization(options.apiKey);
  if (options.credentialsFile) return serviceAccountAuthorization(options.credentialsFile, 'option credentialsFile', options);
  const apiKey = optionOrEnv(undefined, env, 'GOOGLE_TTS_API_KEY', 'GOOGLE_API_KEY');
  if (apiKey) return apiKeyAuthorization(apiKey);
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return serviceAccountAuthorization(env.GOOGLE_APPLICATION_CREDENTIALS, 'GOOGLE_APPLICATION_CREDENTIALS', options);
  throw new ConfigurationError(
    `${PROVIDER} needs credentials: pass \`apiKey\` or \`credentialsFile\`, or set GOOGLE_TTS_API_KEY, GOOGLE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS`,
  );
}
