import { open } from 'node:fs/promises';
import ffmpeg from 'fluent-ffmpeg';
import { RenderError } from '../errors.js';

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
    if (header.length < 12 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') {
      return undefined;
    }
    let byteRate = 0;
    for (let offset = 12; offset + 8 <= header.length; ) {
      const id = header.toString('ascii', offset, offset + 4);
      const chunkSize = header.readUInt32LE(offset + 4);
      if (id === 'fmt ' && offset + 20 <= header.length) {
        const format = header.readUInt16LE(offset + 8);
        if (format !== 1 && format !== 3 && format !== 0xfffe) return undefined;
        byteRate = header.readUInt32LE(offset + 16);
      } else if (id === 'data') {
        if (!byteRate) return undefined;
        const dataBytes = Math.min(chunkSize, size - (offset + 8));
        return dataBytes / byteRate;
      }
      offset += 8 + chunkSize + (chunkSize % 2);
    }
    return undefined;
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
