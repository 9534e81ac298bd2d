import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveBinaries } from '@scriptsensei/core';
import type { Picture } from '@scriptsensei/fonts/testing';

const run = promisify(execFile);

/** Decodes a `width`x`height` image file (PNG) with ffmpeg into grey pixels. */
export async function decodePicture(path: string, width: number, height: number): Promise<Picture> {
  const { ffmpeg } = resolveBinaries();
  const { stdout } = await run(ffmpeg, ['-v', 'error', '-nostdin', '-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 });
  if (stdout.length !== width * height) throw new RangeError(`${path} is not ${width}x${height}`);
  return { width, height, channels: 1, data: new Uint8Array(stdout) };
}
