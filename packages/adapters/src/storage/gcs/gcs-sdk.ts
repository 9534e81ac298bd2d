import { ConfigurationError } from '@scriptsensei/core';

export type GcsSdk = typeof import('@google-cloud/storage');

let loading: Promise<GcsSdk> | undefined;

/**
 * Imports `@google-cloud/storage` once per process. A dynamic import keeps
 * `@scriptsensei/adapters/storage/gcs` loadable without it; missing, it is a {@link ConfigurationError}.
 */
export function loadGcsSdk(): Promise<GcsSdk> {
  loading ??= import('@google-cloud/storage').catch((error: unknown) => {
    throw new ConfigurationError('gcs storage needs the Google Cloud Storage client: npm install @google-cloud/storage', { cause: error });
  });
  return loading;
}
