import { writeFile } from 'node:fs/promises';
import type { TTSProvider, TTSRequest, TTSResult } from '@scriptsensei/core';
import { ConfigurationError, ProviderError } from '@scriptsensei/core';
import { httpBase, optionOrEnv, pcmSeconds, pcmWav, requiredApiKey, sharedAnswer, untilAborted, vendorJson, type VendorOptions } from '../../vendor/index.js';
import { wordTimings, type CharacterAlignment } from './alignment.js';
import { languageCode, modelLanguages } from './models.js';
import { findVoice, isVoiceId, toVoiceInfo, type ElevenLabsVoice } from './voices.js';

/** How a voice delivers; each is sent only when set, otherwise the voice's own settings apply. */
export interface ElevenLabsVoiceSettings {
  /** 0–1: higher is steadier, lower more expressive. */
  stability?: number;
  /** 0–1: how closely to keep to the original voice. */
  similarityBoost?: number;
  /** 0–1: style exaggeration (slower to generate). */
  style?: number;
  /** Boosts likeness to the original speaker. */
  useSpeakerBoost?: boolean;
  /** 0.7–1.2: speaking speed, 1 is normal. */
  speed?: number;
}

export interface ElevenLabsTTSOptions extends VendorOptions {
  /**
   * ElevenLabs API key, sent as `xi-api-key`. Listing voices (and so voice names, `listVoices`,
   * `resolveVoice` and `healthCheck`) needs its Voices read permission.
   * @defaultValue `ELEVENLABS_API_KEY`
   */
  apiKey?: string;
  /**
   * Base URL of the API.
   * @defaultValue `ELEVENLABS_BASE_URL`, else `https://api.elevenlabs.io`
   */
  baseUrl?: string;
  /**
   * Voice used when a request names none: a voice id, or the name of a voice on the account.
   * @defaultValue 'JBFqnCBsd6RMkjVDRZzb' (George, a premade voice)
   */
  voice?: string;
  /**
   * Model: `eleven_multilingual_v2`, `eleven_flash_v2_5`, `eleven_turbo_v2_5`, `eleven_v3`…
   * @defaultValue 'eleven_multilingual_v2'
   */
  modelId?: string;
  /**
   * Voice settings for every request.
   * @defaultValue undefined (each voice's saved settings)
   */
  voiceSettings?: ElevenLabsVoiceSettings;
  /**
   * Where the `ELEVENLABS_*` variables are read from.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

const PROVIDER = 'elevenlabs';
const DEFAULT_BASE_URL = 'https://api.elevenlabs.io';
const DEFAULT_VOICE = 'JBFqnCBsd6RMkjVDRZzb';
/** Raw 16-bit mono PCM: wrapped in a WAV header, its duration is exact without probing. */
const SAMPLE_RATE = 24_000;
const OUTPUT_FORMAT = `pcm_${SAMPLE_RATE}`;
/** How long the voice list is trusted: voices added on the account show up after this. */
const VOICES_TTL_MS = 5 * 60_000;

/** The answer of `POST /v1/text-to-speech/{voice_id}/with-timestamps`. */
interface TimestampedSpeech {
  audio_base64?: string;
  alignment?: CharacterAlignment | null;
}

/**
 * Speech from ElevenLabs, timed word by word: each scene is one call to the with-timestamps
 * endpoint, whose character alignment becomes the word timings captions follow. Writes 16-bit
 * PCM WAV at 24 kHz. A request's `voice` is a voice id, or a voice's name looked up in the
 * account's voice list (`GET /v1/voices`, kept five minutes).
 */
export function createElevenLabsTTS(options: ElevenLabsTTSOptions = {}): TTSProvider {
  const env = options.env ?? process.env;
  const apiKey = requiredApiKey(PROVIDER, options.apiKey, env, 'ELEVENLABS_API_KEY');
  const base = httpBase(PROVIDER, 'baseUrl', optionOrEnv(options.baseUrl, env, 'ELEVENLABS_BASE_URL') ?? DEFAULT_BASE_URL);
  const model = options.modelId ?? 'eleven_multilingual_v2';
  const defaultVoice = options.voice ?? DEFAULT_VOICE;
  const voiceSettings = checkVoiceSettings(options.voiceSettings);
  const call = { provider: PROVIDER, headers: { 'xi-api-key': apiKey }, secrets: [apiKey] };

  const listVoices = sharedAnswer(
    () =>
      vendorJson<{ voices?: ElevenLabsVoice[] }>({ ...call, action: 'voice list', url: `${base}/v1/voices` }, options).then((answer) =>
        (answer.voices ?? []).map((voice) => toVoiceInfo(voice, modelLanguages(model))),
      ),
    VOICES_TTL_MS,
  );

  /** The voice id to speak with: ids are taken as they are (the vendor judges them), names looked up. */
  const voiceId = async (named: string, signal: AbortSignal | undefined): Promise<string> =>
    isVoiceId(named) ? named : findVoice(await untilAborted(listVoices(), signal), named).id;

  return {
    specificationVersion: 'v1',
    provider: PROVIDER,
    fingerprint: JSON.stringify({ model, voice: defaultVoice, voiceSettings, format: OUTPUT_FORMAT }),
    wordTimings: true,
    listVoices,
    async resolveVoice(language, voice) {
      languageCode(model, language);
      return findVoice(await listVoices(), voice ?? defaultVoice).id;
    },
    async healthCheck() {
      await listVoices();
    },
    async synthesize(request: TTSRequest): Promise<TTSResult> {
      const language = languageCode(model, request.language);
      const voice = await voiceId(request.voice ?? defaultVoice, request.signal);
      const body = JSON.stringify({ text: request.text, model_id: model, language_code: language, voice_settings: voiceSettings });
      const answer = await vendorJson<TimestampedSpeech>(
        {
          ...call,
          action: 'synthesis',
          url: `${base}/v1/text-to-speech/${encodeURIComponent(voice)}/with-timestamps?output_format=${OUTPUT_FORMAT}`,
          headers: { ...call.headers, 'content-type': 'application/json' },
          body,
          signal: request.signal,
        },
        options,
      );
      const pcm = Buffer.from(answer.audio_base64 ?? '', 'base64');
      if (pcm.length < 2) throw new ProviderError(PROVIDER, 'the answer holds no audio');
      await writeFile(request.outputPath, pcmWav(pcm, SAMPLE_RATE));
      return { durationSeconds: pcmSeconds(pcm.length, SAMPLE_RATE), wordTimings: wordTimings(answer.alignment) };
    },
  };
}

/** The settings in the API's spelling, checked; undefined when none are set. */
function checkVoiceSettings(settings: ElevenLabsVoiceSettings | undefined): Record<string, number | boolean> | undefined {
  if (!settings) return undefined;
  const ranges = { stability: [0, 1], similarityBoost: [0, 1], style: [0, 1], speed: [0.7, 1.2] } as const;
  for (const [name, [min, max]] of Object.entries(ranges)) {
    const value = settings[name as keyof typeof ranges];
    if (value !== undefined && !(value >= min && value <= max)) throw new ConfigurationError(`${PROVIDER} voiceSettings.${name} must be ${min}–${max}, got ${value}`);
  }
  const api = {
    stability: settings.stability,
    similarity_boost: settings.similarityBoost,
    style: settings.style,
    use_speaker_boost: settings.useSpeakerBoost,
    speed: settings.speed,
  };
  return Object.fromEntries(Object.entries(api).filter(([, value]) => value !== undefined)) as Record<string, number | boolean>;
}
