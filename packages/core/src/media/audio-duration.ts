import { open } from 'node:fs/promises';
import ffmpeg from 'fluent-ffmpeg';
import { RenderError } from '../errors.js';
import { wavLayout } from './wav-header.js';

/** How much of a file is read to find a WAV header's `fmt ` and `data` chunks. */
const WAV_HEADER_BYTES = 4096;

/**
 * Exact duration of a PCM WAV file from its header, or `undefined` when the file is not a PCM
 * WAV we understand. Streaming writers sometimes leave a placeholder data size; the file size
 * bounds it.
 */
export async function wavDurationSeconds(path: string): Promise<number | undefined> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(Math.min(WAV_HEADER_BYTES, size));
    await file.read(header, 0, header.length, 0);
    const layout = wavLayout(header, size);
    if (!layout || ![1, 3, 0xfffe].includes(layout.format) || !layout.byteRate) return undefined;
    return layout.dataBytes / layout.byteRate;
  } finally {
    await file.close();
  }
}

/** Duration of any media file ffprobe can read, in seconds. */
export function probeDurationSeconds(ffprobePath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    ffmpeg(path)
      .setFfprobePath(ffprobePath)
      .ffprobe((error: Error | null, data: ffmpeg.FfprobeData | undefined) => {
        const duration = Number(data?.format?.duration);
        if (error || !Number.isFinite(duration)) {
          reject(new RenderError(`ffprobe could not measure ${path}: ${error?.message ?? 'no duration'}`, { cause: error }));
        } else resolve(duration);
      });
  });
}
