import { open, rm } from 'node:fs/promises';
import type { ClipFormat, ImageFormat } from '@scriptsensei/core';
import { ProviderError } from '@scriptsensei/core';
import { imageFormatOf, vendorDownload, type VendorHttpOptions } from '../../vendor/index.js';

/** A photo cropped to a 4K frame is a few megabytes; more is not a photo. */
const MAX_PHOTO_BYTES = 25 * 1024 * 1024;

/** One media download: from a Pexels CDN URL (sent without the key) to the scene's file. */
export interface MediaDownload {
  provider: string;
  url: string;
  path: string;
  signal?: AbortSignal | undefined;
}

/** Downloads a photo and returns its encoding, sniffed from its bytes. */
export async function downloadPhoto(download: MediaDownload, http: VendorHttpOptions): Promise<ImageFormat> {
  const { provider, url, path, signal } = download;
  await vendorDownload({ provider, action: 'photo download', url, signal }, http, path, MAX_PHOTO_BYTES);
  const format = imageFormatOf(await head(path));
  return format ?? refuse(provider, path, 'the photo download is not a PNG, JPEG or WebP image');
}

/** Downloads a clip, refusing more than `maxBytes`, and returns its container, sniffed from its bytes. */
export async function downloadClip(download: MediaDownload, http: VendorHttpOptions, maxBytes: number): Promise<ClipFormat> {
  const { provider, url, path, signal } = download;
  await vendorDownload({ provider, action: 'clip download', url, signal }, http, path, maxBytes);
  const format = clipFormatOf(await head(path));
  return format ?? refuse(provider, path, 'the clip download is not an MP4, QuickTime or WebM video');
}

/**
 * The container `bytes` announce: ISO media (`ftyp`, whose brand tells QuickTime from MP4, or a
 * classic QuickTime file opening on another atom), or EBML (WebM).
 */
function clipFormatOf(bytes: Buffer): ClipFormat | undefined {
  const atom = bytes.toString('latin1', 4, 8);
  if (atom === 'ftyp') return bytes.toString('latin1', 8, 12) === 'qt  ' ? 'mov' : 'mp4';
  if (['moov', 'mdat', 'wide', 'free', 'skip'].includes(atom)) return 'mov';
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0x1a45dfa3 ? 'webm' : undefined;
}

/** The first bytes of a file: enough to tell its format. */
async function head(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(12), 0, 12, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * Removes a download that is not what it should be (an HTML page from a wrong URL) and fails,
 * not retryable: the same URL would give the same.
 */
async function refuse(provider: string, path: string, message: string): Promise<never> {
  await rm(path, { force: true });
  throw new ProviderError(provider, message, { retryable: false });
}
