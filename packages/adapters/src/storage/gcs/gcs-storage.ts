import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Bucket } from '@google-cloud/storage';
import type { ByteRange, PutOptions, StorageProvider, StoredObjectInfo } from '@scriptsensei/core';
import { ProviderError, assertSafeKey, throwIfAborted } from '@scriptsensei/core';
import { assertListPrefix, assertRange, isAddressable, publicUrl, readFailure } from '../object-store.js';
import { statusOf, toGcsError } from './gcs-errors.js';
import { resolveGcsSettings, type GcsStorageOptions } from './gcs-options.js';
import { loadGcsSdk } from './gcs-sdk.js';

/** Google Cloud Storage storage, with the bucket and folder it writes to. */
export interface GcsStorage extends StorageProvider {
  readonly bucket: string;
  /** `''` or the `/`-terminated folder inside the bucket that keys live under. */
  readonly prefix: string;
  list(prefix: string): AsyncIterable<StoredObjectInfo>;
  /** Checks the bucket exists and the credentials may read it. */
  healthCheck(): Promise<void>;
}

/** Objects listed per request. */
const PAGE_SIZE = 1000;

/**
 * Objects in a Google Cloud Storage bucket, through the JSON API. Streams are uploaded with a
 * resumable upload, byte arrays with one multipart request; `url()` signs a V4 GET URL (or points
 * at `publicBaseUrl`). Needs the optional peer dependency `@google-cloud/storage`, loaded on first use.
 */
export function createGcsStorage(options: GcsStorageOptions = {}): GcsStorage {
  const settings = resolveGcsSettings(options);
  const { prefix, secrets } = settings;

  let connecting: Promise<Bucket> | undefined;
  const connect = () =>
    (connecting ??= loadGcsSdk().then((sdk) =>
      new sdk.Storage({
        apiEndpoint: settings.apiEndpoint,
        useAuthWithCustomEndpoint: settings.authenticateEndpoint,
        credentials: settings.credentials,
        // The client reads `maxRetries: 0` as "the default"; no retries is `autoRetry: false`.
        retryOptions: { autoRetry: settings.maxRetries > 0, maxRetries: settings.maxRetries },
      }).bucket(settings.bucket),
    ));

  /** The object's name in the bucket; validates the caller's key first. */
  const objectName = (key: string): string => {
    assertSafeKey(key);
    return prefix + key;
  };

  /** Runs one client call, turning whatever it throws into a typed error. */
  async function call<T>(what: string, run: (bucket: Bucket) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const bucket = await connect();
    try {
      return await run(bucket);
    } catch (error) {
      throw toGcsError(error, what, secrets, signal);
    }
  }

  async function stat(key: string): Promise<StoredObjectInfo | undefined> {
    const name = objectName(key);
    return call(`stat "${key}"`, async (bucket) => {
      try {
        const [metadata] = await bucket.file(name).getMetadata();
        return { key, size: Number(metadata.size ?? 0), contentType: metadata.contentType, lastModified: metadata.updated ? new Date(metadata.updated) : undefined };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    });
  }

  return {
    specificationVersion: 'v1',
    provider: 'gcs',
    bucket: settings.bucket,
    prefix,

    async put(key: string, body: Readable | Uint8Array, putOptions: PutOptions = {}) {
      const name = objectName(key);
      const { signal, contentType } = putOptions;
      throwIfAborted(signal);
      await call(
        `put "${key}"`,
        (bucket) => {
          // A resumable upload streams a body of unknown length; a short byte array goes in one
          // multipart request. Either way the object appears only when the upload completes: a
          // failed or aborted one leaves the previous object as it was.
          const upload = bucket.file(name).createWriteStream({ resumable: !(body instanceof Uint8Array), contentType });
          return pipeline(body instanceof Uint8Array ? Readable.from([body]) : body, upload, { signal });
        },
        signal,
      );
      const stored = await stat(key);
      if (!stored) throw new ProviderError('gcs', `put "${key}" completed but the object is not there`);
      return stored;
    },

    async get(key: string, getOptions: { range?: ByteRange } = {}) {
      const name = objectName(key);
      const { range } = getOptions;
      assertRange(range);
      return call(`get "${key}"`, async (bucket) => {
        const stream = bucket.file(name).createReadStream(range ? { start: range.start, end: range.end } : {});
        try {
          await answered(stream);
        } catch (error) {
          throw readFailure(key, statusOf(error), error) ?? error;
        }
        return stream;
      });
    },

    stat,

    async exists(key: string) {
      return (await stat(key)) !== undefined;
    },

    async delete(key: string) {
      const name = objectName(key);
      await call(`delete "${key}"`, (bucket) => bucket.file(name).delete({ ignoreNotFound: true }));
    },

    async url(key: string) {
      const name = objectName(key);
      if (settings.publicBaseUrl) return publicUrl(settings.publicBaseUrl, name);
      return call(`url "${key}"`, async (bucket) => {
        const [url] = await bucket.file(name).getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + settings.urlExpiresSeconds * 1000 });
        return url;
      });
    },

    async *list(listPrefix: string) {
      assertListPrefix(listPrefix);
      let pageToken: string | undefined;
      do {
        const [files, next] = await call(`list "${listPrefix}"`, (bucket) =>
          bucket.getFiles({ prefix: prefix + listPrefix, autoPaginate: false, maxResults: PAGE_SIZE, pageToken }),
        );
        for (const file of files) {
          const key = file.name.slice(prefix.length);
          if (!isAddressable(key)) continue;
          const { size, updated } = file.metadata;
          yield { key, size: Number(size ?? 0), lastModified: updated ? new Date(updated) : undefined };
        }
        pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken;
      } while (pageToken);
    },

    async healthCheck() {
      await call(`reach bucket "${settings.bucket}"`, (bucket) => bucket.getMetadata());
    },
  };
}

/**
 * Resolves once the download has a successful answer, rejects with its error otherwise. The
 * client only sends the request when the stream is first read, so this asks for a read; the
 * bytes stay buffered for the caller.
 */
function answered(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('response', onResponse).off('error', done);
      if (error) reject(error);
      else resolve();
    };
    // An error status is followed by an 'error' carrying the API's message.
    const onResponse = (response: { statusCode?: number }) => {
      if ((response.statusCode ?? 0) < 300) done();
    };
    stream.on('response', onResponse).on('error', done);
    stream.read(0);
  });
}
