import type { ByteRange } from '@scriptsensei/core';
import { ConfigurationError, NotFoundError, ValidationError, assertSafeKey } from '@scriptsensei/core';

/*
 * What S3 and Google Cloud Storage storage share: the settings of a bucket-backed store and the
 * mapping of our keys onto object names.
 */

/** Signed URLs (SigV4, GCS V4) live at most a week. */
const MAX_URL_SECONDS = 604_800;

/** `''`, or `prefix` as a checked `/`-terminated folder; a bad one is a {@link ConfigurationError}. */
export function folderPrefix(provider: string, prefix: string): string {
  const folder = prefix.replace(/\/+$/, '');
  if (!folder) return '';
  try {
    assertSafeKey(folder, 'prefix');
  } catch (error) {
    // assertSafeKey throws nothing but ValidationError.
    throw new ConfigurationError(`${provider} prefix "${prefix}" ${(error as ValidationError).issues[0]?.message}`, { cause: error });
  }
  return `${folder}/`;
}

/** The signed-URL lifetime from the option, else `envName`, else an hour; checked. */
export function urlLifetimeSeconds(provider: string, option: number | undefined, env: NodeJS.ProcessEnv, envName: string): number {
  const seconds = option ?? (env[envName] ? Number(env[envName]) : 3600);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_URL_SECONDS) {
    throw new ConfigurationError(`${provider} urlExpiresSeconds (or ${envName}) must be an integer from 1 to ${MAX_URL_SECONDS}, got ${seconds}`);
  }
  return seconds;
}

/** `${base}/${name}` with each path segment of the object name percent-encoded. */
export function publicUrl(base: string, name: string): string {
  return `${base}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** Checks a `list()` prefix the way keys are checked (a folder, possibly empty). */
export function assertListPrefix(prefix: string): void {
  const folder = prefix.replace(/\/+$/, '');
  if (folder) assertSafeKey(folder, 'prefix');
}

/**
 * Whether an object name found by listing is a key this API can address. Other tools may leave
 * names such as folder markers (`videos/`) that it cannot.
 */
export function isAddressable(key: string): boolean {
  try {
    assertSafeKey(key);
    return true;
  } catch {
    return false;
  }
}

/** Checks a requested byte range before any request: whole numbers, `0 <= start <= end`. */
export function assertRange(range: ByteRange | undefined): void {
  if (range && !(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
    throw new ValidationError([{ field: 'range', message: 'must be whole numbers with 0 <= start <= end' }]);
  }
}

/**
 * What a failed read of `key` means to the caller, by the store's HTTP status: a missing object
 * (404) or a range past its end (416); `undefined` for anything else, which the caller maps.
 */
export function readFailure(key: string, status: number | undefined, error: unknown): NotFoundError | ValidationError | undefined {
  if (status === 404) return new NotFoundError(`No stored object "${key}"`);
  if (status === 416) return new ValidationError([{ field: 'range', message: `starts beyond the end of "${key}"` }], { cause: error });
  return undefined;
}
