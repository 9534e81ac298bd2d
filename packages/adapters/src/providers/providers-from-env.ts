import { ConfigurationError } from '@scriptsensei/core';
import { defaultStorageDirectory } from '../storage/local/default-directory.js';
import { IMAGE_PROVIDER_IDS, STORAGE_PROVIDER_IDS, TTS_PROVIDER_IDS, type ProvidersConfig, type TTSProviderId } from './provider-config.js';

/** The environment variables that make each cloud TTS provider available (any one of them). */
export const TTS_KEY_VARIABLES: Record<Exclude<TTSProviderId, 'espeak'>, string[]> = {
  azure: ['AZURE_SPEECH_KEY'],
  google: ['GOOGLE_TTS_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS'],
  elevenlabs: ['ELEVENLABS_API_KEY'],
  openai: ['OPENAI_API_KEY'],
};

/**
 * The providers the environment asks for:
 * - TTS: every cloud provider whose key is set (see {@link TTS_KEY_VARIABLES}), plus espeak;
 *   `TTS_PROVIDER` names the default. Those it does not name are optional: one that cannot be
 *   created is left out with a warning.
 * - Images: `IMAGE_PROVIDER` = slides (default), openai, stability or pexels.
 * - Storage: `STORAGE_PROVIDER` = local, s3 or gcs; without it, s3 when `S3_BUCKET` is set, gcs
 *   when `GCS_BUCKET` is, else local (`STORAGE_DIR`, default `defaultStorageDirectory()`).
 *
 * Each provider reads its own keys and settings from the same environment.
 */
export function providersConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProvidersConfig {
  const tts: NonNullable<ProvidersConfig['tts']> = { espeak: true };
  for (const [id, names] of Object.entries(TTS_KEY_VARIABLES)) {
    if (names.some((name) => env[name])) tts[id as keyof typeof TTS_KEY_VARIABLES] = true;
  }
  const defaultTts = oneOf(env, 'TTS_PROVIDER', TTS_PROVIDER_IDS);
  if (defaultTts && !tts[defaultTts]) {
    const needs = TTS_KEY_VARIABLES[defaultTts as keyof typeof TTS_KEY_VARIABLES];
    throw new ConfigurationError(`TTS_PROVIDER=${defaultTts} needs ${needs.join(' or ')} to be set`);
  }
  const images = oneOf(env, 'IMAGE_PROVIDER', IMAGE_PROVIDER_IDS) ?? 'slides';
  const storage = oneOf(env, 'STORAGE_PROVIDER', STORAGE_PROVIDER_IDS) ?? (env.S3_BUCKET ? 's3' : env.GCS_BUCKET ? 'gcs' : 'local');
  // Keys found are an offer, not a demand: only the default must work for the process to start.
  const optionalTts = Object.keys(TTS_KEY_VARIABLES).filter((id) => tts[id as keyof typeof TTS_KEY_VARIABLES] && id !== defaultTts) as TTSProviderId[];
  return {
    tts,
    ...(defaultTts ? { defaultTts } : {}),
    ...(optionalTts.length ? { optionalTts } : {}),
    images: images === 'pexels' ? { provider: 'pexels', ...(env.PEXELS_MEDIA ? { media: pexelsMedia(env.PEXELS_MEDIA) } : {}) } : { provider: images },
    storage: storage === 'local' ? { provider: 'local', directory: env.STORAGE_DIR || defaultStorageDirectory(env) } : { provider: storage },
  };
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[]): T | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return undefined;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigurationError(`${name} must be one of ${values.join(', ')}, got "${env[name]}"`);
  return raw as T;
}

function pexelsMedia(raw: string): 'photos' | 'videos' | 'auto' {
  const value = raw.trim().toLowerCase();
  if (value === 'photos' || value === 'videos' || value === 'auto') return value;
  throw new ConfigurationError(`PEXELS_MEDIA must be photos, videos or auto, got "${raw}"`);
}
