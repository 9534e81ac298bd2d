export { createProviders, type Providers } from './create-providers.js';
export { providersConfigFromEnv, TTS_KEY_VARIABLES } from './providers-from-env.js';
export {
  IMAGE_PROVIDER_IDS,
  STORAGE_PROVIDER_IDS,
  TTS_PROVIDER_IDS,
  type ImageProviderId,
  type ProvidersConfig,
  type StorageProviderId,
  type TTSProviderId,
} from './provider-config.js';
