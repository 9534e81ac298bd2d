import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline as pump } from 'node:stream/promises';
import Keyv from 'keyv';
import type { ImageProvider, ImageResult } from '../specs/image-provider.js';
import type { StorageProvider } from '../specs/storage-provider.js';
import type { TTSProvider, TTSResult } from '../specs/tts-provider.js';

export interface ArtifactCacheOptions {
  /**
   * Index of cached artifacts: content hash → stored object and its metadata. Use a durable
   * Keyv (sqlite, redis) to keep the cache across restarts.
   * @defaultValue `new Keyv()` (in memory)
   */
  keyv?: Keyv;
  /**
   * Where the artifacts' bytes live.
   * @defaultValue the pipeline's storage
   */
  storage?: StorageProvider;
  /**
   * Storage key prefix of cached artifacts.
   * @defaultValue 'cache/'
   */
  prefix?: string;
  /**
   * How long an artifact is kept after it was stored: its index entry expires then, and
   * `sweep()` deletes the stored object.
   * @defaultValue 604800000 (7 days)
   */
  ttlMs?: number;
}

/** Cache hits and misses of one render, per provider kind. */
export interface CacheStats {
  tts: { hits: number; misses: number };
  images: { hits: number; misses: number };
  /** Encoded scenes (their H.264 segments), reused when a scene's pictures, captions and timing are unchanged. */
  scenes: { hits: number; misses: number };
}

interface Entry<R> {
  key: string;
  result: R;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Content-addressed cache of narration and images. The hash covers everything that shapes the
 * output (provider, its settings fingerprint, text, voice, language, size, style, title, scene
 * position), so an edited script re-renders only the scenes whose inputs changed. Objects are
 * stored under deterministic keys, so caching the same content again overwrites, and `sweep()`
 * removes those past the TTL. A cache failure never fails a render: the provider's own output
 * is used.
 */
export class ArtifactCache {
  private readonly keyv: Keyv;
  private readonly storage: StorageProvider;
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(options: ArtifactCacheOptions & { storage: StorageProvider }) {
    this.keyv = options.keyv ?? new Keyv();
    this.storage = options.storage;
    this.prefix = options.prefix ?? 'cache/';
    this.ttlMs = options.ttlMs ?? WEEK_MS;
  }

  /** Wraps a TTS provider so synthesis is skipped for narration already in the cache. */
  tts(provider: TTSProvider, stats: CacheStats['tts']): TTSProvider {
    return {
      ...provider,
      synthesize: (request) =>
        this.through<TTSResult>(
          'tts',
          [provider.provider, provider.fingerprint, request.text, request.language, request.voice],
          request.outputPath,
          stats,
          () => provider.synthesize(request),
        ),
    };
  }

  /** Wraps an image provider so images already in the cache are copied, not generated. */
  images(provider: ImageProvider, stats: CacheStats['images']): ImageProvider {
    return {
      ...provider,
      generate: (request) =>
        this.through<ImageResult>(
          'images',
          [provider.provider, provider.fingerprint, request.text, request.title, request.sceneIndex, request.sceneCount, request.width, request.height, request.style, request.durationSeconds],
          request.outputPath,
          stats,
          () => provider.generate(request),
        ),
    };
  }

  /**
   * A file produced by `produce` into `outputPath` from `inputs` (anything JSON-serialisable
   * that determines its bytes): copied from the cache when these inputs were seen before.
   */
  async file(kind: string, inputs: unknown[], outputPath: string, stats: { hits: number; misses: number }, produce: () => Promise<void>): Promise<void> {
    await this.through<null>(kind, inputs, outputPath, stats, async () => {
      await produce();
      return null;
    });
  }

  /**
   * Deletes stored artifacts older than the TTL, when the storage can list (`StorageProvider.list`).
   * The job engine calls it from its retention sweep. Returns how many were deleted.
   */
  async sweep(now = Date.now()): Promise<number> {
    if (!this.storage.list) return 0;
    let deleted = 0;
    for await (const object of this.storage.list(this.prefix)) {
      if (object.lastModified && now - object.lastModified.getTime() > this.ttlMs) {
        await this.storage.delete(object.key);
        deleted += 1;
      }
    }
    return deleted;
  }

  private async through<R>(kind: string, inputs: unknown[], outputPath: string, stats: { hits: number; misses: number }, produce: () => Promise<R>): Promise<R> {
    const hash = createHash('sha256').update(JSON.stringify([kind, ...inputs])).digest('hex');
    const id = `artifact:${hash}`;
    const cached = await this.keyv.get<Entry<R>>(id).catch(() => undefined);
    if (cached) {
      try {
        await pump(await this.storage.get(cached.key), createWriteStream(outputPath));
        stats.hits += 1;
        return cached.result;
      } catch {
        // The object is gone or unreadable: produce it again below.
      }
    }
    stats.misses += 1;
    const result = await produce();
    const key = `${this.prefix}${kind}/${hash}`;
    try {
      await this.storage.put(key, createReadStream(outputPath));
      await this.keyv.set(id, { key, result }, this.ttlMs);
    } catch {
      // Caching is an optimisation; the render goes on with the fresh artifact.
    }
    return result;
  }
}
