import { writeFile } from 'node:fs/promises';
import type { ImageFormat } from '@scriptsensei/core';
import { ProviderError } from '@scriptsensei/core';

/** The encoding `bytes` announce in their first bytes, or undefined when it is none we take. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 12));
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length === 12 && head.toString('ascii', 0, 4) === 'RIFF' && head.toString('ascii', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * Writes a vendor's picture to `path` and returns its encoding, sniffed from the bytes rather than
 * trusted from a header. Anything else (an HTML page from a wrong base URL) is a non-retryable
 * `ProviderError`: asking again would get the same.
 */
export async function writeImage(provider: string, bytes: Uint8Array, path: string): Promise<ImageFormat> {
  const format = imageFormatOf(bytes);
  if (!format) throw new ProviderError(provider, `the answer is not a PNG, JPEG or WebP image (${bytes.length} bytes)`, { retryable: false });
  await writeFile(path, bytes);
  return format;
}
