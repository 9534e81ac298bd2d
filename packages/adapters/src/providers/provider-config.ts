import type { EspeakTTSOptions } from '../tts/espeak/index.js';
import type { AzureTTSOptions } from '../tts/azure/index.js';
import type { GoogleTTSOptions } from '../tts/google/index.js';
import type { OpenAITTSOptions } from '../tts/openai/index.js';
import type { ElevenLabsTTSOptions } from '../tts/elevenlabs/index.js';
import type { SlidesOptions } from '../images/slides/index.js';
import type { OpenAIImagesOptions } from '../images/openai/index.js';
import type { StabilityImagesOptions } from '../images/stability/index.js';
import type { PexelsImagesOptions } from '../images/pexels/index.js';
import type { LocalStorageOptions } from '../storage/local/index.js';
import type { S3StorageOptions } from '../storage/s3/index.js';
import type { GcsStorageOptions } from '../storage/gcs/index.js';

/** TTS provider ids, as `voice_provider` names them. */
export const TTS_PROVIDER_IDS = ['azure', 'google', 'elevenlabs', 'openai', 'espeak'] as const;
export type TTSProviderId = (typeof TTS_PROVIDER_IDS)[number];

export const IMAGE_PROVIDER_IDS = ['slides', 'openai', 'stability', 'pexels'] as const;
export type ImageProviderId = (typeof IMAGE_PROVIDER_IDS)[number];

export const STORAGE_PROVIDER_IDS = ['local', 's3', 'gcs'] as const;
export type StorageProviderId = (typeof STORAGE_PROVIDER_IDS)[number];

/**
 * Which providers a pipeline renders with, as one plain object (a JSON file, a config service,
 * or {@link providersConfigFromEnv}). Each provider's options are its factory's; `true` takes
 * its defaults (keys from the provider's environment variables).
 */
export interface ProvidersConfig {
  /**
   * The TTS providers a request may pick with `voice_provider`. espeak is always there (offline).
   * @defaultValue `{ espeak: true }`
   */
  tts?: {
    azure?: AzureTTSOptions | true;
    google?: GoogleTTSOptions | true;
    elevenlabs?: ElevenLabsTTSOptions | true;
    openai?: OpenAITTSOptions | true;
    espeak?: EspeakTTSOptions | true;
  };
  /**
   * The TTS provider of requests that name none. Not guessed from the keys present: a key set
   * for another purpose must not move every render onto a paid voice.
   * @defaultValue 'espeak'
   */
  defaultTts?: TTSProviderId;
  /**
   * TTS providers offered only because their key was found in the environment: one that cannot
   * be created (a Google credentials file meant for storage, a key without its region) is left
   * out with a warning (`Providers.warnings`) instead of stopping the process.
   * `providersConfigFromEnv` fills it.
   * @defaultValue none: every TTS provider configured must be created
   */
  optionalTts?: TTSProviderId[];
  /** @defaultValue `{ provider: 'slides' }` */
  images?:
    | ({ provider: 'slides' } & SlidesOptions)
    | ({ provider: 'openai' } & OpenAIImagesOptions)
    | ({ provider: 'stability' } & StabilityImagesOptions)
    | ({ provider: 'pexels' } & PexelsImagesOptions);
  /** @defaultValue `{ provider: 'local' }` */
  storage?: ({ provider: 'local' } & LocalStorageOptions) | ({ provider: 's3' } & S3StorageOptions) | ({ provider: 'gcs' } & GcsStorageOptions);
}
