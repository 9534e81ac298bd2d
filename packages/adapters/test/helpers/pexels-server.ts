import { startVendorServer, type RecordedRequest, type Reply, type VendorServer } from './vendor-server.js';

/** The key the fake expects as `Authorization`. */
export const KEY = 'pexels-test-key-0123456789abcdef';

/** What the fake Pexels finds: photo and video results per query (default: some for any query). */
export interface Catalog {
  /** How many photos a query finds. */
  photos?: (query: string) => number;
  /** The durations, in seconds, of the videos a query finds. */
  videos?: (query: string) => number[];
  /** Answers a media download instead of the real bytes (a hang, an HTML page). */
  download?: (request: RecordedRequest) => Reply | undefined;
}

export const SIZES = { landscape: [6000, 4000], portrait: [4000, 6000], square: [4000, 4000] } as const;
export type Orientation = keyof typeof SIZES;

/**
 * A stand-in for Pexels speaking its documented protocol: `GET /v1/search` and
 * `GET /videos/search` with the raw key as `Authorization`, answering with results whose
 * `src.original` and `video_files[].link` point back here, where real JPEG and MP4 bytes are
 * served (without the key: the CDN is another host). A request off the protocol gets a 400.
 * `media` holds the bytes served for every photo and video file.
 */
export async function startPexels(media: { jpeg: Buffer; mp4: Buffer }, catalog: Catalog = {}): Promise<VendorServer> {
  const { jpeg, mp4 } = media;
  let base = '';
  const server = await startVendorServer((request) => {
    const search = request.path === '/v1/search' || request.path === '/videos/search';
    if (search) {
      const params = request.url.searchParams;
      const orientation = params.get('orientation') as Orientation;
      const problem =
        request.method !== 'GET' ? `method ${request.method}`
        : request.headers.authorization !== KEY ? `authorization "${request.headers.authorization}"`
        : !params.get('query') ? 'no query'
        : !(orientation in SIZES) ? `orientation "${orientation}"`
        : !['small', 'medium', 'large'].includes(params.get('size') ?? '') ? `size "${params.get('size')}"`
        : !(Number(params.get('per_page')) >= 1 && Number(params.get('per_page')) <= 80) ? 'per_page'
        : undefined;
      if (problem) return { status: 400, body: { error: `fake Pexels: bad search, ${problem}` } };
      const query = params.get('query')!;
      const [width, height] = SIZES[orientation];
      if (request.path === '/v1/search') {
        const photos = Array.from({ length: catalog.photos?.(query) ?? 5 }, (_, i) => ({
          id: 100 + i,
          width,
          height,
          alt: `${query} ${i}`,
          photographer: 'Test Photographer',
          src: { original: `${base}/photos/${100 + i}/pexels-photo-${100 + i}.jpeg`, large2x: `${base}/photos/${100 + i}/pexels-photo-${100 + i}.jpeg?dpr=2&h=650&w=940` },
        }));
        // As Pexels does, successful answers say when the monthly quota resets.
        return { headers: { 'x-ratelimit-limit': '20000', 'x-ratelimit-remaining': '19999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) }, body: { page: 1, per_page: 15, total_results: photos.length, photos } };
      }
      const videos = (catalog.videos?.(query) ?? [8, 2, 12]).map((duration, i) => videoJson(base, 200 + i, duration, orientation));
      return { body: { page: 1, per_page: 15, total_results: videos.length, videos } };
    }
    if (request.path.startsWith('/photos/') || request.path.startsWith('/video-files/')) {
      if (request.headers.authorization) return { status: 400, body: 'fake Pexels: the key was sent to the CDN' };
      const override = catalog.download?.(request);
      if (override) return override;
      return request.path.startsWith('/photos/') ? { headers: { 'content-type': 'image/jpeg' }, body: jpeg } : { headers: { 'content-type': 'video/mp4' }, body: mp4 };
    }
    return { status: 404, body: { error: `fake Pexels: no route ${request.path}` } };
  });
  base = server.url;
  return server;
}

/** A video as Pexels lists it: SD, HD and UHD renditions (short side 360, 1080, 2160) and an HLS playlist. */
function videoJson(base: string, id: number, duration: number, orientation: Orientation) {
  const file = (quality: string, long: number, short: number) => {
    const [width, height] = orientation === 'portrait' ? [short, long] : orientation === 'square' ? [short, short] : [long, short];
    return { id: id * 10 + short, quality, file_type: 'video/mp4', width, height, fps: 25, link: `${base}/video-files/${id}-${width}x${height}.mp4` };
  };
  return {
    id,
    width: 3840,
    height: 2160,
    duration,
    video_files: [file('sd', 640, 360), file('uhd', 3840, 2160), file('hd', 1920, 1080), { id: id * 10, quality: 'hls', file_type: 'video/mp4', width: null, height: null, fps: null, link: `${base}/video-files/${id}.m3u8` }],
  };
}
