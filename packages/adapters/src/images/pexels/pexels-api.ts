import { vendorJson, type VendorHttpOptions } from '../../vendor/index.js';

/** The part of a Pexels photo used here (`GET /v1/search`'s `photos[]`). */
export interface PexelsPhoto {
  width: number;
  height: number;
  src: { original?: string };
}

/** One encoding of a Pexels video (`video_files[]`). Streaming (HLS) entries have no size. */
export interface PexelsVideoFile {
  link: string;
  width: number | null;
  height: number | null;
  quality: string | null;
  file_type: string;
}

/** The part of a Pexels video used here (`GET /videos/search`'s `videos[]`). */
export interface PexelsVideo {
  /** Seconds. */
  duration: number;
  video_files: PexelsVideoFile[];
}

export type Orientation = 'landscape' | 'portrait' | 'square';

/** A search's filters, as Pexels names them. */
export interface SearchFilters {
  orientation: Orientation;
  /** Minimum size: photos large 24 MP, medium 12 MP, small 4 MP; videos large 4K, medium Full HD, small HD. */
  size: 'large' | 'medium' | 'small';
}

/** How many results a search asks for (Pexels' default; at most 80). */
const PER_PAGE = 15;

export interface PexelsApi {
  searchPhotos(query: string, filters: SearchFilters, signal?: AbortSignal): Promise<PexelsPhoto[]>;
  searchVideos(query: string, filters: SearchFilters, signal?: AbortSignal): Promise<PexelsVideo[]>;
  /** One curated photo: proves the key works. */
  curated(signal?: AbortSignal): Promise<void>;
}

/** Pexels' search API (`Authorization: <key>`, no scheme). Photos live under `/v1`, videos not. */
export function pexelsApi(base: string, apiKey: string, http: VendorHttpOptions, provider: string): PexelsApi {
  const options = { ...http, fetch: withRateLimitReset(http.fetch) };
  const get = <T>(action: string, path: string, params: Record<string, string | number>, signal?: AbortSignal) => {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
    return vendorJson<T>({ provider, action, url, headers: { authorization: apiKey }, signal, secrets: [apiKey] }, options);
  };
  return {
    async searchPhotos(query, filters, signal) {
      const answer = await get<{ photos?: PexelsPhoto[] }>('photo search', '/v1/search', { query, ...filters, per_page: PER_PAGE }, signal);
      return answer.photos ?? [];
    },
    async searchVideos(query, filters, signal) {
      const answer = await get<{ videos?: PexelsVideo[] }>('video search', '/videos/search', { query, ...filters, per_page: PER_PAGE }, signal);
      return answer.videos ?? [];
    },
    async curated(signal) {
      await get('curated photos', '/v1/curated', { per_page: 1 }, signal);
    },
  };
}

/**
 * Pexels sends its quota's reset time (`X-Ratelimit-Reset`, Unix seconds) on successful answers,
 * and answers an exhausted quota with a bare 429. This remembers the last reset seen (or takes
 * one the 429 carries) and gives the 429 that as `Retry-After`, so the shared client waits when
 * the reset is near and otherwise fails at once (retryable, for the job engine to try later)
 * instead of spending its retries on a quota that will not come back soon.
 */
function withRateLimitReset(doFetch: typeof fetch | undefined): typeof fetch {
  let lastReset: number | undefined;
  return async (input, init) => {
    const response = await (doFetch ?? globalThis.fetch)(input, init);
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (reset > 0) lastReset = reset;
    if (response.status !== 429 || response.headers.has('retry-after') || lastReset === undefined) return response;
    const headers = new Headers(response.headers);
    headers.set('retry-after', String(Math.max(0, Math.ceil(lastReset - Date.now() / 1000))));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
