import { createWriteStream } from 'node:fs';
import { extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline as pump } from 'node:stream/promises';
import { NotFoundError, ProviderError, ScriptSenseiError, ValidationError, toCancelled } from '../errors.js';
import type { StorageProvider } from '../specs/storage-provider.js';

export interface FetchMusicOptions {
  /** Where a `source` that is not an http(s) URL is read from, as a key. */
  storage: StorageProvider;
  /** Scratch directory (owned by the caller) the track is written to. */
  workDir: string;
  signal: AbortSignal;
  /** Largest track accepted, bytes. @defaultValue 52428800 (50 MB) */
  maxBytes?: number;
  /** How long fetching the track may take in all, ms. @defaultValue 30000 */
  timeoutMs?: number;
}

const MUSIC_LIMITS = { maxBytes: 50 * 1024 * 1024, timeoutMs: 30_000 } as const;
/** The request field every problem with the track is reported on. */
const FIELD = 'music.source';

/**
 * Brings the music track into the work directory and returns its path: an http(s) URL is
 * downloaded, anything else is a storage key read from `storage`; both are bounded in size
 * and time. A track that cannot be
 * had because of the request (a 4xx answer, a missing key, too large) is a `ValidationError` on
 * `music.source`; a server error, a network failure or a timeout is a retryable `ProviderError`.
 */
export async function fetchMusic(source: string, options: FetchMusicOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? MUSIC_LIMITS.maxBytes;
  const timeoutMs = options.timeoutMs ?? MUSIC_LIMITS.timeoutMs;
  const path = join(options.workDir, `music${safeExtension(source)}`);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  try {
    if (/^https?:\/\//i.test(source)) {
      const response = await fetch(source, { signal });
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        const message = `could not download ${FIELD} (HTTP ${response.status} from ${new URL(source).host})`;
        // Only a server having trouble may answer differently next time.
        if (response.status >= 500 || response.status === 429) throw new ProviderError('music', message);
        throw new ValidationError([{ field: FIELD, message }]);
      }
      if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      await pump(Readable.fromWeb(response.body as ReadableStream), limit(maxBytes), createWriteStream(path), { signal });
      return path;
    }
    const info = await options.storage.stat(source);
    if (!info) throw missing(source);
    if (info.size > maxBytes) throw tooLarge(maxBytes);
    await pump(await options.storage.get(source), limit(maxBytes), createWriteStream(path), { signal });
    return path;
  } catch (error) {
    if (options.signal.aborted) throw toCancelled(options.signal.reason);
    if (timeout.aborted) throw new ProviderError('music', `${FIELD} took longer than ${timeoutMs / 1000} s to fetch`, { cause: error });
    // Deleted between stat and get.
    if (NotFoundError.is(error)) throw missing(source);
    if (ScriptSenseiError.is(error)) throw error;
    throw new ProviderError('music', `could not fetch ${FIELD}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function missing(key: string): ValidationError {
  return new ValidationError([{ field: FIELD, message: `no stored file "${key}"` }]);
}

function tooLarge(maxBytes: number): ValidationError {
  return new ValidationError([{ field: FIELD, message: `is larger than ${Number((maxBytes / 1024 / 1024).toFixed(2))} MB` }]);
}

/** Fails the copy as soon as more than `maxBytes` went through (a server may not say, or lie). */
function limit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > maxBytes ? tooLarge(maxBytes) : null, chunk);
    },
  });
}

/** Keeps a plain extension (ffmpeg probes the content anyway); never anything path-like. */
function safeExtension(source: string): string {
  const extension = extname(source.split(/[?#]/)[0]!).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(extension) ? extension : '.audio';
}
