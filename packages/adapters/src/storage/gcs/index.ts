export { createGcsStorage, type GcsStorage } from './gcs-storage.js';
export type { GcsStorageOptions, GcsServiceAccountKey } from './gcs-options.js';
