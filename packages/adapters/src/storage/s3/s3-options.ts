import { ConfigurationError } from '@scriptsensei/core';
import { httpBase, optionOrEnv } from '../../vendor/index.js';
import { folderPrefix, urlLifetimeSeconds } from '../object-store.js';

/** A static S3 access key pair (an IAM user's, or temporary ones with a session token). */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3StorageOptions {
  /**
   * The bucket holding the objects; it must exist.
   * @defaultValue `S3_BUCKET`
   */
  bucket?: string;
  /**
   * The bucket's region (any value for most S3-compatible servers; `auto` for R2).
   * @defaultValue `S3_REGION`, else `AWS_REGION`, else `us-east-1`
   */
  region?: string;
  /**
   * Base URL of an S3-compatible server (MinIO, Cloudflare R2, a local test server) instead of AWS.
   * @defaultValue `S3_ENDPOINT`, else AWS's endpoint for the region
   */
  endpoint?: string;
  /**
   * Address the bucket as `endpoint/bucket/key` instead of `bucket.endpoint/key`.
   * @defaultValue `S3_FORCE_PATH_STYLE` (`1`/`true` or `0`/`false`), else true when an endpoint is set
   */
  forcePathStyle?: boolean;
  /**
   * The access key pair to sign with.
   * @defaultValue `S3_ACCESS_KEY_ID` + `S3_SECRET_ACCESS_KEY`, else the AWS SDK's default chain
   * (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, shared config files, instance or task roles)
   */
  credentials?: S3Credentials;
  /**
   * Folder inside the bucket that every key lives under, e.g. `scriptsensei/` (a trailing `/` is added).
   * @defaultValue `''` (the bucket's root)
   */
  prefix?: string;
  /**
   * Lifetime of the presigned GET URLs `url()` returns, in seconds (at most 604800, 7 days).
   * @defaultValue `S3_URL_EXPIRES_SECONDS`, else 3600
   */
  urlExpiresSeconds?: number;
  /**
   * Public base URL serving the bucket's root (a CDN, a public bucket): `url()` then returns
   * unsigned `${publicBaseUrl}/${prefix}${key}` URLs that never expire.
   * @defaultValue undefined (presigned URLs)
   */
  publicBaseUrl?: string;
  /**
   * Size of each part of a multipart upload (at least 5 MiB); up to 4 parts are in memory at once.
   * @defaultValue 5242880 (5 MiB)
   */
  partSizeBytes?: number;
  /**
   * Where the `S3_*` variables are read from. The SDK's own default credential chain always
   * reads `process.env`.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

/** {@link S3StorageOptions} with every default applied and checked. */
export interface S3Settings {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  credentials: S3Credentials | undefined;
  /** `''` or a `/`-terminated folder. */
  prefix: string;
  urlExpiresSeconds: number;
  publicBaseUrl: string | undefined;
  partSizeBytes: number;
  /** Values that must never appear in an error message. */
  secrets: string[];
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;

/** Resolves options and environment into settings; a {@link ConfigurationError} names what is wrong. */
export function resolveS3Settings(options: S3StorageOptions): S3Settings {
  const env = options.env ?? process.env;
  const bucket = optionOrEnv(options.bucket, env, 'S3_BUCKET');
  if (!bucket) throw new ConfigurationError('s3 storage needs a bucket: pass `bucket` or set S3_BUCKET');
  const endpoint = httpBase('s3', 'endpoint', optionOrEnv(options.endpoint, env, 'S3_ENDPOINT'));
  const partSizeBytes = options.partSizeBytes ?? MIN_PART_BYTES;
  if (!Number.isInteger(partSizeBytes) || partSizeBytes < MIN_PART_BYTES || partSizeBytes > MAX_PART_BYTES) {
    throw new ConfigurationError(`s3 partSizeBytes must be an integer from ${MIN_PART_BYTES} (5 MiB) to ${MAX_PART_BYTES} (5 GiB), got ${partSizeBytes}`);
  }
  const credentials = options.credentials ?? credentialsFromEnv(env);
  return {
    bucket,
    region: optionOrEnv(options.region, env, 'S3_REGION', 'AWS_REGION') ?? 'us-east-1',
    endpoint,
    forcePathStyle: options.forcePathStyle ?? booleanFromEnv(env, 'S3_FORCE_PATH_STYLE') ?? endpoint !== undefined,
    credentials,
    prefix: folderPrefix('s3', options.prefix ?? ''),
    urlExpiresSeconds: urlLifetimeSeconds('s3', options.urlExpiresSeconds, env, 'S3_URL_EXPIRES_SECONDS'),
    publicBaseUrl: httpBase('s3', 'publicBaseUrl', options.publicBaseUrl),
    partSizeBytes,
    // The SDK's default chain reads the AWS_* variables from process.env whatever `env` is.
    secrets: [credentials?.secretAccessKey, credentials?.sessionToken, process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].filter(
      (secret): secret is string => Boolean(secret),
    ),
  };
}

function credentialsFromEnv(env: NodeJS.ProcessEnv): S3Credentials | undefined {
  const accessKeyId = env.S3_ACCESS_KEY_ID;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY;
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigurationError(`s3 storage: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, not only ${accessKeyId ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY'}`);
  }
  return { accessKeyId, secretAccessKey };
}

function booleanFromEnv(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return undefined;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new ConfigurationError(`${name} must be 1, true, 0 or false, got "${env[name]}"`);
}
