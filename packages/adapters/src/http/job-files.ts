import { text } from 'node:stream/consumers';
import type { JobRecord, StorageProvider } from '@scriptsensei/core';
import { HttpError } from './http-errors.js';
import { videoResponse } from './video-response.js';

/**
 * The routes serving a job's stored files, below `/jobs/{id}/`: the video, the caption sidecars,
 * the thumbnail and the HLS stream's files. A signed link opens any of them (see `createVideoLinks`).
 */
export const JOB_FILE_PATH = /\/jobs\/([^/]+)\/(?:video|captions\.srt|captions\.vtt|thumbnail\.jpg|hls\/[^/]+)$/;

/** A file of the HLS folder: plain names only (no `.`, `..` or hidden files). */
const HLS_FILE = /^(?!\.)[\w.-]+$/;
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

/** Where a sidecar file of the result is stored, and how it is served. */
const SIDECARS: Record<string, { key: (job: JobRecord) => string | undefined; contentType: string; what: string }> = {
  'captions.srt': { key: (job) => job.result?.captions?.srt.key, contentType: 'application/x-subrip; charset=utf-8', what: 'captions' },
  'captions.vtt': { key: (job) => job.result?.captions?.vtt.key, contentType: 'text/vtt; charset=utf-8', what: 'captions' },
  'thumbnail.jpg': { key: (job) => job.result?.thumbnail?.key, contentType: 'image/jpeg', what: 'thumbnail' },
};

/** The storage key of a finished job's sidecar file (`captions.srt`, `thumbnail.jpg`…), if it has one. */
export function sidecarKey(job: JobRecord, file: string): string | undefined {
  return SIDECARS[file]?.key(job);
}

/**
 * A `302` to the storage's own http(s) URL of `key` (a presigned S3 URL, minted now, so it is
 * fresh), or `undefined` when the storage has none (local files) or the object is gone (the
 * caller then answers as usual, with a 404).
 */
export async function storageRedirect(storage: StorageProvider, key: string): Promise<Response | undefined> {
  const exists = await storage.exists(key).catch(() => false);
  if (!exists) return undefined;
  const url = await storage.url(key);
  if (!/^https?:\/\//i.test(url)) return undefined;
  return new Response(null, { status: 302, headers: { location: url, 'cache-control': 'no-store' } });
}

/** Serves a caption sidecar or the thumbnail of a finished job (Range supported). */
export async function sidecarResponse(storage: StorageProvider, job: JobRecord, file: string, range: string | undefined): Promise<Response> {
  const sidecar = SIDECARS[file];
  const key = sidecar?.key(job);
  if (!sidecar || !key) throw new HttpError(404, 'NOT_FOUND', `Job ${job.id} has no ${sidecar?.what ?? file}`);
  return videoResponse(storage, key, range, false, { contentType: sidecar.contentType });
}

/**
 * Serves a file of a job's HLS stream: the live one while the job renders, the finished one
 * after. The playlist is never cached (it grows); with `signature` (a signed link's query),
 * its relative URIs carry it too, so a player fetches segments without a token.
 */
export async function hlsResponse(storage: StorageProvider, job: JobRecord, file: string, range: string | undefined, signature: string | undefined): Promise<Response> {
  const playlistKey = job.result?.hls?.key ?? (job.status === 'processing' ? job.live?.playlistKey : undefined);
  if (!playlistKey) throw new HttpError(404, 'NOT_FOUND', `Job ${job.id} has no HLS stream${job.status === 'processing' ? ' yet' : ''}`);
  const extension = HLS_FILE.test(file) ? file.slice(file.lastIndexOf('.')) : '';
  const key = `${playlistKey.slice(0, playlistKey.lastIndexOf('/') + 1)}${file}`;
  if (extension === '.mp4' || extension === '.m4s') return videoResponse(storage, key, range, false, { contentType: 'video/mp4' });
  if (extension !== '.m3u8') throw new HttpError(404, 'NOT_FOUND', `No file ${JSON.stringify(file)} in the HLS stream of job ${job.id}`);
  let playlist: string;
  try {
    playlist = await text(await storage.get(key));
  } catch {
    throw new HttpError(404, 'NOT_FOUND', `No file ${JSON.stringify(file)} in the HLS stream of job ${job.id}`);
  }
  return new Response(signature ? signUris(playlist, signature) : playlist, { headers: { 'content-type': PLAYLIST_TYPE, 'cache-control': 'no-cache' } });
}

/** The playlist with `query` appended to every URI: segment lines and `URI="…"` attributes. */
function signUris(playlist: string, query: string): string {
  return playlist
    .split('\n')
    .map((line) => (line.startsWith('#') ? line.replace(/URI="([^"?]+)"/g, `URI="$1${query}"`) : line.trim() ? `${line}${query}` : line))
    .join('\n');
}
