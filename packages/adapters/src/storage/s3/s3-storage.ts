import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ByteRange, PutOptions, StorageProvider, StoredObjectInfo } from '@scriptsensei/core';
import { ProviderError, assertSafeKey, throwIfAborted } from '@scriptsensei/core';
import { assertListPrefix, assertRange, isAddressable, publicUrl, readFailure } from '../object-store.js';
import { toS3Error, statusOf } from './s3-errors.js';
import { resolveS3Settings, type S3StorageOptions } from './s3-options.js';
import { loadS3Sdk, type S3Sdk } from './s3-sdk.js';

/** S3 storage, with the bucket and folder it writes to. */
export interface S3Storage extends StorageProvider {
  readonly bucket: string;
  /** `''` or the `/`-terminated folder inside the bucket that keys live under. */
  readonly prefix: string;
  list(prefix: string): AsyncIterable<StoredObjectInfo>;
  /** Checks the bucket exists and the credentials may reach it (`HeadBucket`). */
  healthCheck(): Promise<void>;
}

/**
 * Objects in an S3 bucket, or on any S3-compatible server (MinIO, Cloudflare R2, …). Puts stream
 * through multipart uploads, `url()` presigns a GET (or points at `publicBaseUrl`). Needs the
 * optional peer dependencies `@aws-sdk/client-s3`, `@aws-sdk/lib-storage` and
 * `@aws-sdk/s3-request-presigner`, loaded on first use.
 */
export function createS3Storage(options: S3StorageOptions = {}): S3Storage {
  const settings = resolveS3Settings(options);
  const { bucket, prefix, secrets } = settings;

  let connecting: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;
  const connect = () =>
    (connecting ??= loadS3Sdk().then((sdk) => ({
      sdk,
      client: new sdk.client.S3Client({
        region: settings.region,
        endpoint: settings.endpoint,
        forcePathStyle: settings.forcePathStyle,
        credentials: settings.credentials,
      }),
    })));

  /** The object's key in the bucket; validates the caller's key first. */
  const objectKey = (key: string): string => {
    assertSafeKey(key);
    return prefix + key;
  };

  /** Runs one SDK call, turning whatever it throws into a typed error. */
  async function call<T>(what: string, run: (s3: { sdk: S3Sdk; client: S3Client }) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const s3 = await connect();
    try {
      return await run(s3);
    } catch (error) {
      throw toS3Error(error, what, secrets, signal);
    }
  }

  async function stat(key: string): Promise<StoredObjectInfo | undefined> {
    const Key = objectKey(key);
    return call(`stat "${key}"`, async ({ sdk, client }) => {
      try {
        const head = await client.send(new sdk.client.HeadObjectCommand({ Bucket: bucket, Key }));
        return { key, size: head.ContentLength ?? 0, contentType: head.ContentType, lastModified: head.LastModified };
      } catch (error) {
        // Without s3:ListBucket permission S3 answers 403 for a missing object; grant it.
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    });
  }

  return {
    specificationVersion: 'v1',
    provider: 's3',
    bucket,
    prefix,

    async put(key: string, body: Readable | Uint8Array, putOptions: PutOptions = {}) {
      const Key = objectKey(key);
      const { signal, contentType } = putOptions;
      throwIfAborted(signal);
      await call(
        `put "${key}"`,
        async ({ sdk, client }) => {
          const abortController = new AbortController();
          const abort = () => abortController.abort();
          signal?.addEventListener('abort', abort, { once: true });
          try {
            // Parts are read from the stream as it flows, never the whole body at once. On a
            // failure (the stream's, the server's or an abort) lib-storage aborts the multipart
            // upload: nothing is completed, so the previous object under the key stays intact.
            const upload = new sdk.storage.Upload({
              client,
              params: { Bucket: bucket, Key, Body: body, ContentType: contentType },
              partSize: settings.partSizeBytes,
              abortController,
            });
            await upload.done();
          } catch (error) {
            // A broken source stream is the cause, even when the clean-up after it failed too.
            throw (body instanceof Readable && body.errored) || error;
          } finally {
            signal?.removeEventListener('abort', abort);
          }
        },
        signal,
      );
      const stored = await stat(key);
      if (!stored) throw new ProviderError('s3', `put "${key}" completed but the object is not there`);
      return stored;
    },

    async get(key: string, getOptions: { range?: ByteRange } = {}) {
      const Key = objectKey(key);
      const { range } = getOptions;
      assertRange(range);
      return call(`get "${key}"`, async ({ sdk, client }) => {
        try {
          const object = await client.send(
            new sdk.client.GetObjectCommand({ Bucket: bucket, Key, Range: range && `bytes=${range.start}-${range.end}` }),
          );
          // In Node the SDK's body is the response's IncomingMessage.
          return (object.Body as Readable | undefined) ?? Readable.from([]);
        } catch (error) {
          throw readFailure(key, statusOf(error), error) ?? error;
        }
      });
    },

    stat,

    async exists(key: string) {
      return (await stat(key)) !== undefined;
    },

    async delete(key: string) {
      const Key = objectKey(key);
      // S3 answers 204 for a missing key too.
      await call(`delete "${key}"`, ({ sdk, client }) => client.send(new sdk.client.DeleteObjectCommand({ Bucket: bucket, Key })));
    },

    async url(key: string) {
      const Key = objectKey(key);
      if (settings.publicBaseUrl) return publicUrl(settings.publicBaseUrl, Key);
      return call(`url "${key}"`, ({ sdk, client }) =>
        sdk.presigner.getSignedUrl(client, new sdk.client.GetObjectCommand({ Bucket: bucket, Key }), { expiresIn: settings.urlExpiresSeconds }),
      );
    },

    async *list(listPrefix: string) {
      assertListPrefix(listPrefix);
      let ContinuationToken: string | undefined;
      do {
        const page = await call(`list "${listPrefix}"`, ({ sdk, client }) =>
          client.send(new sdk.client.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix + listPrefix, ContinuationToken })),
        );
        for (const object of page.Contents ?? []) {
          const key = object.Key?.slice(prefix.length);
          if (!key || !isAddressable(key)) continue;
          yield { key, size: object.Size ?? 0, lastModified: object.LastModified };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    async healthCheck() {
      await call(`reach bucket "${bucket}"`, ({ sdk, client }) => client.send(new sdk.client.HeadBucketCommand({ Bucket: bucket })));
    },
  };
}
