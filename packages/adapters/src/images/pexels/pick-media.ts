import type { ClipFormat } from '@scriptsensei/core';
import type { Orientation, PexelsPhoto, PexelsVideo, PexelsVideoFile, SearchFilters } from './pexels-api.js';

/**
 * Bump when the picking below changes: it is part of the provider's fingerprint, so media
 * picked the old way are not served from the artifact cache.
 */
export const PICK_VERSION = 1;

/** Neighbouring scenes take different results among this many best ones (see {@link byScene}). */
const VARIETY = 6;

/** What a pick depends on: the frame, the scene's place and its length. */
export interface PickTarget {
  width: number;
  height: number;
  sceneIndex: number;
  durationSeconds?: number;
}

/** Pexels' orientation for a frame; within 15 % of 1:1 counts as square. */
function orientationFor(width: number, height: number): Orientation {
  const ratio = width / height;
  return ratio >= 1.15 ? 'landscape' : ratio <= 1 / 1.15 ? 'portrait' : 'square';
}

/** Photo search filters: the frame's orientation, and a minimum size (4, 12 or 24 MP) above its pixels. */
export function photoFilters(width: number, height: number): SearchFilters {
  const pixels = width * height;
  return { orientation: orientationFor(width, height), size: pixels > 12e6 ? 'large' : pixels > 4e6 ? 'medium' : 'small' };
}

/** Video search filters: the frame's orientation, and a minimum size (HD, Full HD, 4K) for its long side. */
export function videoFilters(width: number, height: number): SearchFilters {
  const long = Math.max(width, height);
  return { orientation: orientationFor(width, height), size: long > 1920 ? 'large' : long > 1280 ? 'medium' : 'small' };
}

/**
 * The photo for a scene: among those large enough to cover the frame without upscaling (all
 * of them when none is), the one at the scene's place in the best few (see {@link byScene}).
 */
export function pickPhoto(photos: readonly PexelsPhoto[], target: PickTarget): PexelsPhoto | undefined {
  const usable = photos.filter((p) => isHttp(p.src?.original));
  const covering = usable.filter((p) => covers(p, target));
  return byScene(covering.length ? covering : usable, target.sceneIndex);
}

/**
 * The photo's download URL: `src.original` resized and cropped by the Pexels image CDN to
 * exactly the frame (`fit=crop` covers it), compressed, in sRGB.
 */
export function photoUrl(photo: PexelsPhoto, width: number, height: number): string {
  const url = new URL(photo.src.original!);
  const params = { auto: 'compress', cs: 'tinysrgb', fit: 'crop', w: String(width), h: String(height) };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/** A clip chosen for a scene: the video, the encoding to download, and its container. */
export interface ClipPick {
  video: PexelsVideo;
  file: PexelsVideoFile;
  format: ClipFormat;
  /** It lasts the scene: otherwise the pipeline loops it. */
  longEnough: boolean;
}

/**
 * The clip for a scene: among videos at least as long as the scene, the one at the scene's
 * place in the best few (see {@link byScene}); when none is, the longest (the pipeline loops it).
 * Only videos with a downloadable file count.
 */
export function pickClip(videos: readonly PexelsVideo[], target: PickTarget): ClipPick | undefined {
  const needed = target.durationSeconds ?? 0;
  const playable: ClipPick[] = videos.flatMap((video) => {
    const best = pickFile(video.video_files ?? [], target);
    return best ? [{ video, ...best, longEnough: video.duration >= needed }] : [];
  });
  const long = playable.filter((c) => c.longEnough);
  if (long.length) return byScene(long, target.sceneIndex);
  return playable.reduce<ClipPick | undefined>((longest, c) => (!longest || c.video.duration > longest.video.duration ? c : longest), undefined);
}

/**
 * The encoding of a video to download: mp4 when there is one, and of those the smallest that
 * still covers the frame (for a clip of the frame's shape: its height at least the frame's),
 * else the largest. Streaming playlists (HLS) and entries without a size are skipped.
 */
function pickFile(files: readonly PexelsVideoFile[], target: PickTarget): { file: PexelsVideoFile; format: ClipFormat } | undefined {
  const usable = files.flatMap((file) => {
    const format = containerOf(file.file_type);
    const downloadable = file.width && file.height && file.quality !== 'hls' && isHttp(file.link) && !new URL(file.link).pathname.endsWith('.m3u8');
    return format && downloadable ? [{ file, format, width: file.width!, height: file.height! }] : [];
  });
  const mp4 = usable.filter((u) => u.format === 'mp4');
  const pool = mp4.length ? mp4 : usable;
  if (!pool.length) return undefined;
  const covering = pool.filter((u) => covers(u, target));
  const pixels = (u: { width: number; height: number }) => u.width * u.height;
  const chosen = covering.length ? covering.reduce((a, b) => (pixels(b) < pixels(a) ? b : a)) : pool.reduce((a, b) => (pixels(b) > pixels(a) ? b : a));
  return { file: chosen.file, format: chosen.format };
}

function containerOf(fileType: string | undefined): ClipFormat | undefined {
  const type = fileType?.toLowerCase();
  return type === 'video/mp4' ? 'mp4' : type === 'video/webm' ? 'webm' : type === 'video/quicktime' ? 'mov' : undefined;
}

/** Whether a picture of this size, scaled to cover the frame, needs no upscaling. */
function covers(size: { width: number; height: number }, frame: { width: number; height: number }): boolean {
  return size.width > 0 && size.height > 0 && Math.max(frame.width / size.width, frame.height / size.height) <= 1;
}

/**
 * The result for a scene: scene 0 takes the best, scene 1 the second… cycling through the best
 * {@link VARIETY}, so neighbouring scenes with similar text do not show the same picture, while
 * the same request always gets the same one (and can be cached).
 */
function byScene<T>(pool: readonly T[], sceneIndex: number): T | undefined {
  const window = Math.min(pool.length, VARIETY);
  return window ? pool[((sceneIndex % window) + window) % window] : undefined;
}

function isHttp(link: string | undefined): link is string {
  return typeof link === 'string' && /^https?:\/\/[^/]/i.test(link) && URL.canParse(link);
}
