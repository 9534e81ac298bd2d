import { ConfigurationError } from '@scriptsensei/core';
import { httpBase, optionOrEnv } from '../../vendor/index.js';
import { folderPrefix, urlLifetimeSeconds } from '../object-store.js';

/** The fields of a service account's JSON key that signing and authentication need. */
export interface GcsServiceAccountKey {
  client_email: string;
  private_key: string;
}

export interface GcsStorageOptions {
  /**
   * The bucket holding the objects; it must exist.
   * @defaultValue `GCS_BUCKET`
   */
  bucket?: string;
  /**
   * A service account's JSON key (parsed): authenticates, and signs URLs locally (V4).
   * google-auth-library logs a one-line deprecation notice for keys passed this way; pointing
   * `GOOGLE_APPLICATION_CREDENTIALS` at the key file instead avoids it.
   * @defaultValue Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's
   * login, the metadata server; without a private key, URLs are signed through IAM `signBlob`)
   */
  credentials?: GcsServiceAccountKey;
  /**
   * Base URL of the JSON API (an emulator such as fake-gcs-server, a private endpoint).
   * @defaultValue `GCS_API_ENDPOINT`, else `https://storage.googleapis.com`
   */
  apiEndpoint?: string;
  /**
   * Send OAuth tokens to `apiEndpoint` too. Emulators want none; a private or regional Google
   * endpoint needs them.
   * @defaultValue false
   */
  authenticateEndpoint?: boolean;
  /**
   * Folder inside the bucket that every key lives under, e.g. `scriptsensei/` (a trailing `/` is added).
   * @defaultValue `''` (the bucket's root)
   */
  prefix?: string;
  /**
   * Lifetime of the V4 signed GET URLs `url()` returns, in seconds (at most 604800, 7 days).
   * @defaultValue `GCS_URL_EXPIRES_SECONDS`, else 3600
   */
  urlExpiresSeconds?: number;
  /**
   * Public base URL serving the bucket's root (a CDN, `https://storage.googleapis.com/<bucket>`
   * for a public bucket): `url()` then returns unsigned `${publicBaseUrl}/${prefix}${key}` URLs.
   * @defaultValue undefined (signed URLs)
   */
  publicBaseUrl?: string;
  /**
   * Further attempts the client makes after a 408, 429, 5xx or network failure, with backoff.
   * @defaultValue 3
   */
  maxRetries?: number;
  /**
   * Where the `GCS_*` variables are read from. Application Default Credentials always read
   * `process.env`.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

/** {@link GcsStorageOptions} with every default applied and checked. */
export interface GcsSettings {
  bucket: string;
  credentials: GcsServiceAccountKey | undefined;
  apiEndpoint: string | undefined;
  authenticateEndpoint: boolean;
  /** `''` or a `/`-terminated folder. */
  prefix: string;
  urlExpiresSeconds: number;
  publicBaseUrl: string | undefined;
  maxRetries: number;
  /** Values that must never appear in an error message. */
  secrets: string[];
}

/** Resolves options and environment into settings; a {@link ConfigurationError} names what is wrong. */
export function resolveGcsSettings(options: GcsStorageOptions): GcsSettings {
  const env = options.env ?? process.env;
  const bucket = optionOrEnv(options.bucket, env, 'GCS_BUCKET');
  if (!bucket) throw new ConfigurationError('gcs storage needs a bucket: pass `bucket` or set GCS_BUCKET');
  const { credentials } = options;
  if (credentials && !(credentials.client_email && credentials.private_key)) {
    throw new ConfigurationError('gcs credentials need the service account key\'s client_email and private_key');
  }
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new ConfigurationError(`gcs maxRetries must be a whole number, got ${maxRetries}`);
  return {
    bucket,
    credentials,
    apiEndpoint: httpBase('gcs', 'apiEndpoint', optionOrEnv(options.apiEndpoint, env, 'GCS_API_ENDPOINT')),
    authenticateEndpoint: options.authenticateEndpoint ?? false,
    prefix: folderPrefix('gcs', options.prefix ?? ''),
    urlExpiresSeconds: urlLifetimeSeconds('gcs', options.urlExpiresSeconds, env, 'GCS_URL_EXPIRES_SECONDS'),
    publicBaseUrl: httpBase('gcs', 'publicBaseUrl', options.publicBaseUrl),
    maxRetries,
    secrets: credentials ? [credentials.private_key] : [],
  };
}
