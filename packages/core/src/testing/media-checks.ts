import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { resolveBinaries } from '../media/binaries.js';

const run = promisify(execFile);

/** Streams and format of a media file, as ffprobe reports them. */
export interface ProbeReport {
  format: { duration: number; formatName: string; size: number };
  streams: { codecType: string; codecName: string; width?: number; height?: number; frameRate?: string; duration?: number }[];
}

/** Runs the resolved ffprobe on a file. For tests and checks, not for hot paths. */
export async function probeMedia(path: string): Promise<ProbeReport> {
  const { stdout } = await run(resolveBinaries().ffprobe, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]);
  const data = JSON.parse(stdout) as {
    format: Record<string, string>;
    streams: Record<string, string | number>[];
  };
  return {
    format: { duration: Number(data.format.duration), formatName: String(data.format.format_name), size: Number(data.format.size) },
    streams: data.streams.map((s) => ({
      codecType: String(s.codec_type),
      codecName: String(s.codec_name),
      width: s.width === undefined ? undefined : Number(s.width),
      height: s.height === undefined ? undefined : Number(s.height),
      frameRate: s.r_frame_rate === undefined ? undefined : String(s.r_frame_rate),
      duration: s.duration === undefined ? undefined : Number(s.duration),
    })),
  };
}

/** Mean volume of a file's audio in dBFS, measured by ffmpeg's `volumedetect` (silence is -91). */
export async function meanVolumeDb(path: string): Promise<number> {
  const { stderr } = await run(resolveBinaries().ffmpeg, ['-hide_banner', '-nostdin', '-i', path, '-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-']);
  const match = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match) throw new Error(`volumedetect printed no mean volume for ${path}`);
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}

/** Decodes the whole file and returns ffmpeg's error output (empty when the stream is clean). */
export async function decodeErrors(path: string): Promise<string> {
  const { stderr } = await run(resolveBinaries().ffmpeg, ['-v', 'error', '-nostdin', '-i', path, '-f', 'null', '-']);
  return stderr.trim();
}

/** Width and height of a PNG from its IHDR chunk, or undefined when the file is not a PNG. */
export async function pngSize(path: string): Promise<{ width: number; height: number } | undefined> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(24);
    await file.read(header, 0, 24, 0);
    if (header.readUInt32BE(0) !== 0x89504e47) return undefined;
    return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
  } finally {
    await file.close();
  }
}

/** The image format a file's first bytes announce. */
export async function sniffImageFormat(path: string): Promise<'png' | 'jpeg' | 'webp' | undefined> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    await file.read(head, 0, 12, 0);
    if (head.readUInt32BE(0) === 0x89504e47) return 'png';
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
    if (head.toString('ascii', 0, 4) === 'RIFF' && head.toString('ascii', 8, 12) === 'WEBP') return 'webp';
    return undefined;
  } finally {
    await file.close();
  }
}

/**
 * Integrated loudness (LUFS) and true peak (dBTP) of a file's audio, by ffmpeg's `ebur128`
 * with true-peak metering (4x oversampled), as loudness specs measure it.
 */
export async function measureLoudness(ffmpegPath: string, path: string): Promise<{ integratedLufs: number; truePeakDb: number }> {
  const { stderr } = await run(ffmpegPath, ['-hide_banner', '-nostdin', '-nostats', '-i', path, '-map', '0:a:0', '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], { maxBuffer: 16 << 20 });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary);
  const peak = /True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary);
  if (!integrated || !peak) throw new Error(`ebur128 printed no summary for ${path}`);
  const value = (v: string) => (v === '-inf' ? -Infinity : Number(v));
  return { integratedLufs: value(integrated[1]!), truePeakDb: value(peak[1]!) };
}

/**
 * RMS level (dBFS) of a file's audio between `fromSeconds` and `toSeconds`, within a frequency
 * band: how loud one source is in a mix when the sources sit in different bands.
 */
export async function bandLevelDb(
  ffmpegPath: string,
  path: string,
  band: { lowHz: number; highHz: number; fromSeconds: number; toSeconds: number },
): Promise<number> {
  const filter = `atrim=${band.fromSeconds}:${band.toSeconds},highpass=f=${band.lowHz}:poles=2,highpass=f=${band.lowHz}:poles=2,lowpass=f=${band.highHz}:poles=2,lowpass=f=${band.highHz}:poles=2,volumedetect`;
  const { stderr } = await run(ffmpegPath, ['-hide_banner', '-nostdin', '-i', path, '-map', '0:a:0', '-af', filter, '-f', 'null', '-'], { maxBuffer: 16 << 20 });
  const match = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match) throw new Error(`volumedetect printed no mean volume for ${path}`);
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}
