import type { ImageProvider, ImageRequest, ImageResult } from '@scriptsensei/core';
import { ConfigurationError, ProviderError, throwIfAborted } from '@scriptsensei/core';
import { httpBase, optionOrEnv, requiredApiKey, type VendorOptions } from '../../vendor/index.js';
import { QUERY_VERSION, searchQueries } from './keywords.js';
import { downloadClip, downloadPhoto } from './media-files.js';
import { pexelsApi } from './pexels-api.js';
import { PICK_VERSION, photoFilters, photoUrl, pickClip, pickPhoto, videoFilters, type ClipPick } from './pick-media.js';

/** What the provider looks for: stills, clips, or a clip when one lasts the scene and else a still. */
export type PexelsMedia = 'photos' | 'videos' | 'auto';

export interface PexelsImagesOptions extends VendorOptions {
  /**
   * Pexels API key, sent as the `Authorization` header (the key alone, no scheme).
   * @defaultValue `PEXELS_API_KEY`
   */
  apiKey?: string;
  /**
   * Base URL of the API (photos are under `/v1`, videos under `/videos`).
   * @defaultValue `PEXELS_BASE_URL`, else `https://api.pexels.com`
   */
  baseUrl?: string;
  /**
   * `photos`: a still per scene. `videos`: a clip per scene, looped by the pipeline when
   * shorter than the scene. `auto`: a clip when one lasts the scene, else a photo (else a
   * shorter clip).
   * @defaultValue 'photos'
   */
  media?: PexelsMedia;
  /**
   * Largest clip download accepted, in bytes; a larger file fails the scene (not retryable).
   * @defaultValue 52428800 (50 MiB)
   */
  maxClipBytes?: number;
  /**
   * Longest one attempt may take, a clip download included.
   * @defaultValue 120000
   */
  timeoutMs?: number;
  /**
   * Where the `PEXELS_*` variables are read from.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

const PROVIDER = 'pexels';
const DEFAULT_BASE_URL = 'https://api.pexels.com';
const MEDIA: readonly PexelsMedia[] = ['photos', 'videos', 'auto'];
const DEFAULT_MAX_CLIP_BYTES = 50 * 1024 * 1024;

/**
 * Stock photos and short video clips from Pexels (a `v2` image provider), found by the scene's
 * keywords (see {@link searchQueries}): the frame's orientation, photos cropped by Pexels' image
 * CDN to the frame, clips at least as long as the scene in the smallest encoding that covers the
 * frame. Neighbouring scenes get different results; the same request always the same one. A
 * scene nothing was found for is a non-retryable `ProviderError` naming the queries tried.
 */
export function createPexelsImages(options: PexelsImagesOptions = {}): ImageProvider {
  const env = options.env ?? process.env;
  const apiKey = requiredApiKey(PROVIDER, options.apiKey, env, 'PEXELS_API_KEY');
  const base = httpBase(PROVIDER, 'baseUrl', optionOrEnv(options.baseUrl, env, 'PEXELS_BASE_URL') ?? DEFAULT_BASE_URL);
  const media = options.media ?? 'photos';
  if (!MEDIA.includes(media)) throw new ConfigurationError(`${PROVIDER} media must be one of ${MEDIA.join(', ')}, got "${String(media)}"`);
  const maxClipBytes = options.maxClipBytes ?? DEFAULT_MAX_CLIP_BYTES;
  if (!Number.isSafeInteger(maxClipBytes) || maxClipBytes <= 0) throw new ConfigurationError(`${PROVIDER} maxClipBytes must be a positive whole number, got ${maxClipBytes}`);
  const http = { ...options, timeoutMs: options.timeoutMs ?? 120_000 };
  const api = pexelsApi(base, apiKey, http, PROVIDER);

  /** The first pick of the first query that yields one, trying the queries in order. */
  async function firstPick<T>(queries: readonly string[], search: (query: string) => Promise<T | undefined>): Promise<T | undefined> {
    for (const query of queries) {
      const found = await search(query);
      if (found) return found;
    }
    return undefined;
  }

  const saveClip = async (clip: ClipPick, request: ImageRequest): Promise<ImageResult> => ({
    kind: 'clip',
    format: await downloadClip({ provider: PROVIDER, url: clip.file.link, path: request.outputPath, signal: request.signal }, http, maxClipBytes),
  });

  return {
    specificationVersion: 'v2',
    provider: PROVIDER,
    fingerprint: JSON.stringify({ media, baseUrl: base, query: QUERY_VERSION, pick: PICK_VERSION }),
    async generate(request: ImageRequest): Promise<ImageResult> {
      throwIfAborted(request.signal);
      const { width, height, signal } = request;
      const queries = searchQueries(request);
      if (!queries.length) throw new ProviderError(PROVIDER, 'nothing to search for: the scene text and title hold no searchable words', { retryable: false });

      const clip = media === 'photos' ? undefined : await firstPick(queries, async (q) => pickClip(await api.searchVideos(q, videoFilters(width, height), signal), request));
      if (clip && (media === 'videos' || clip.longEnough)) return saveClip(clip, request);
      const photo = media === 'videos' ? undefined : await firstPick(queries, async (q) => pickPhoto(await api.searchPhotos(q, photoFilters(width, height), signal), request));
      if (photo) {
        const url = photoUrl(photo, width, height);
        return { format: await downloadPhoto({ provider: PROVIDER, url, path: request.outputPath, signal }, http) };
      }
      // `auto` with no photo: the clip that was too short still beats nothing.
      if (clip) return saveClip(clip, request);
      const wanted = media === 'photos' ? 'photos' : media === 'videos' ? 'videos' : 'photos or videos';
      throw new ProviderError(PROVIDER, `no ${wanted} found for ${queries.map((q) => JSON.stringify(q)).join(', ')}`, { retryable: false });
    },
    async healthCheck() {
      await api.curated();
    },
  };
}
