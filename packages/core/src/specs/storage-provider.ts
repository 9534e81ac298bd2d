import type { Readable } from 'node:stream';

/** Facts about one stored object. */
export interface StoredObjectInfo {
  key: string;
  size: number;
  contentType?: string;
  lastModified?: Date;
}

export interface PutOptions {
  contentType?: string;
  signal?: AbortSignal;
}

/** An inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Storage seam: where finished videos (and cached artifacts) live.
 *
 * Keys are `/`-separated relative paths such as `videos/abc.mp4`. Every implementation must
 * reject keys that could escape its root (see `assertSafeKey`).
 */
export interface StorageProvider {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  /** Writes `body` under `key`, replacing any existing object. Streams are never fully buffered. */
  put(key: string, body: Readable | Uint8Array, options?: PutOptions): Promise<StoredObjectInfo>;
  /** Reads an object, or part of it; throws `NotFoundError` when it does not exist. */
  get(key: string, options?: { range?: ByteRange }): Promise<Readable>;
  /** Facts about an object, or `undefined` when it does not exist. */
  stat(key: string): Promise<StoredObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes an object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A URL for the object (a `file://` URL, a public URL or a signed URL). */
  url(key: string): Promise<string>;
  /**
   * Optional: the objects whose keys start with `prefix` (a `/`-terminated folder such as
   * `cache/`), in no particular order. Used to sweep cached artifacts.
   */
  list?(prefix: string): AsyncIterable<StoredObjectInfo>;
  healthCheck?(): Promise<void>;
}
