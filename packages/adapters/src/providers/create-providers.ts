import type { ImageProvider, StorageProvider, TTSProvider } from '@scriptsensei/core';
import { ConfigurationError } from '@scriptsensei/core';
import { createEspeakTTS } from '../tts/espeak/index.js';
import { createAzureTTS } from '../tts/azure/index.js';
import { createGoogleTTS } from '../tts/google/index.js';
import { createOpenAITTS } from '../tts/openai/index.js';
import { createElevenLabsTTS } from '../tts/elevenlabs/index.js';
import { createSlides } from '../images/slides/index.js';
import { createOpenAIImages } from '../images/openai/index.js';
import { createStabilityImages } from '../images/stability/index.js';
import { createPexelsImages } from '../images/pexels/index.js';
import { createLocalStorage } from '../storage/local/index.js';
import { createS3Storage } from '../storage/s3/index.js';
import { createGcsStorage } from '../storage/gcs/index.js';
import { TTS_PROVIDER_IDS, type ProvidersConfig, type TTSProviderId } from './provider-config.js';
import { providersConfigFromEnv } from './providers-from-env.js';

/** What `createPipeline` needs from providers: spread it into the pipeline's options. */
export interface Providers {
  /** Narrates requests that name no `voiceProvider`. */
  tts: TTSProvider;
  /** Every TTS provider a request may pick by id, `tts` included. */
  voices: TTSProvider[];
  images: ImageProvider;
  storage: StorageProvider;
}

const TTS_FACTORIES: Record<TTSProviderId, (options: object) => TTSProvider> = {
  azure: createAzureTTS,
  google: createGoogleTTS,
  elevenlabs: createElevenLabsTTS,
  openai: createOpenAITTS,
  espeak: createEspeakTTS,
};

/**
 * Builds the pipeline's providers from one plain object, or from the environment when given
 * none (see {@link providersConfigFromEnv}), so servers and workers switch providers without
 * code: `createPipeline({ ...createProviders(), cache: true })`. A provider missing its key is
 * a `ConfigurationError` naming the variable (never a key's value), unless it is optional
 * (`optionalTts`): then `onWarning` hears why it was left out. `env` is where providers read keys
 * the config leaves out.
 */
export function createProviders(
  config?: ProvidersConfig,
  env: NodeJS.ProcessEnv = process.env,
  onWarning: (message: string) => void = (message) => process.emitWarning(message, 'ScriptSenseiWarning'),
): Providers {
  const settings = config ?? providersConfigFromEnv(env);
  const withEnv = <T extends object>(options: T | true) => ({ env, ...(options === true ? {} : options) });

  const voices: TTSProvider[] = [];
  // espeak is always there: offline, keyless, the fallback of unconfigured `voice_provider`s.
  const configured = { ...settings.tts, espeak: settings.tts?.espeak ?? true };
  for (const id of TTS_PROVIDER_IDS) {
    const options = configured[id];
    if (!options) continue;
    try {
      voices.push(TTS_FACTORIES[id](withEnv(options)));
    } catch (error) {
      if (!settings.optionalTts?.includes(id) || !ConfigurationError.is(error)) throw error;
      onWarning(`${id} voices are not available: ${error.message}`);
    }
  }
  const defaultId = settings.defaultTts ?? 'espeak';
  const tts = voices.find((v) => v.provider === defaultId);
  if (!tts) throw new ConfigurationError(`the default TTS provider "${defaultId}" is not configured (configured: ${voices.map((v) => v.provider).join(', ')})`);

  return {
    tts,
    voices: [tts, ...voices.filter((v) => v !== tts)],
    images: imagesOf(settings.images ?? { provider: 'slides' }, env),
    storage: storageOf(settings.storage ?? { provider: 'local' }, env),
  };
}

function imagesOf(config: NonNullable<ProvidersConfig['images']>, env: NodeJS.ProcessEnv): ImageProvider {
  switch (config.provider) {
    case 'openai':
      return createOpenAIImages({ env, ...withoutId(config) });
    case 'stability':
      return createStabilityImages({ env, ...withoutId(config) });
    case 'pexels':
      return createPexelsImages({ env, ...withoutId(config) });
    case 'slides':
      return createSlides(withoutId(config));
  }
}

function storageOf(config: NonNullable<ProvidersConfig['storage']>, env: NodeJS.ProcessEnv): StorageProvider {
  switch (config.provider) {
    case 's3':
      return createS3Storage({ env, ...withoutId(config) });
    case 'gcs':
      return createGcsStorage({ env, ...withoutId(config) });
    case 'local':
      return createLocalStorage(withoutId(config));
  }
}

/** A provider's own options: the config entry without the `provider` that picked it. */
function withoutId<T extends { provider: string }>({ provider: _picked, ...options }: T): Omit<T, 'provider'> {
  return options;
}
