import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveBinaries } from '../media/binaries.js';

const run = promisify(execFile);

/** A subtitle cue as ffmpeg's own demuxers read it back from an SRT or WebVTT file. */
export interface ParsedCue {
  startSeconds: number;
  endSeconds: number;
  text: string;
}

/**
 * Reads an SRT or WebVTT file with ffmpeg's demuxer (an independent parser) and returns its
 * cues: times from the packets, text from ffmpeg's SubRip re-encoding.
 */
export async function parseSubtitles(path: string): Promise<ParsedCue[]> {
  const { ffmpeg } = resolveBinaries();
  const { stdout } = await run(ffmpeg, ['-v', 'error', '-nostdin', '-i', path, '-f', 'srt', '-'], { maxBuffer: 16 << 20 });
  const clock = (t: string) => {
    const [h, m, rest] = t.split(':');
    return Number(h) * 3600 + Number(m) * 60 + Number(rest!.replace(',', '.'));
  };
  return stdout
    .trim()
    .split(/\r?\n\r?\n/)
    .filter(Boolean)
    .map((block) => {
      const lines = block.split(/\r?\n/);
      const [start, end] = lines[1]!.split(' --> ') as [string, string];
      return { startSeconds: clock(start), endSeconds: clock(end.trim()), text: lines.slice(2).join('\n') };
    });
}

/**
 * Where speech starts in a file's audio: the ends of the silences `silencedetect` finds (and 0
 * when the file opens with sound), in seconds.
 */
export async function speechOnsets(path: string, options: { noiseDb?: number; minSilenceSeconds?: number } = {}): Promise<number[]> {
  const { ffmpeg } = resolveBinaries();
  const filter = `silencedetect=noise=${options.noiseDb ?? -35}dB:d=${options.minSilenceSeconds ?? 0.15}`;
  const { stderr } = await run(ffmpeg, ['-hide_banner', '-nostdin', '-i', path, '-map', '0:a:0', '-af', filter, '-f', 'null', '-'], { maxBuffer: 16 << 20 });
  const starts = [...stderr.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  return starts[0] !== undefined && starts[0] <= 0.01 ? ends : [0, ...ends];
}

/**
 * One frame of a video at `seconds`, cropped to a region (fractions of the frame) and scaled
 * down to grey pixels, for comparing pictures (was a caption drawn, did the frame change).
 */
export async function grayFrame(path: string, seconds: number, region = { x: 0, y: 0, width: 1, height: 1 }, size = { width: 160, height: 90 }): Promise<Uint8Array> {
  const { ffmpeg } = resolveBinaries();
  const crop = `crop=iw*${region.width}:ih*${region.height}:iw*${region.x}:ih*${region.y}`;
  const { stdout } = await run(
    ffmpeg,
    ['-v', 'error', '-nostdin', '-ss', seconds.toFixed(3), '-i', path, '-frames:v', '1', '-vf', `${crop},scale=${size.width}:${size.height},format=gray`, '-f', 'rawvideo', '-'],
    { encoding: 'buffer', maxBuffer: 16 << 20 },
  );
  return new Uint8Array(stdout);
}

/** Mean absolute difference of two grey pictures of the same size, 0..255. */
export function pictureDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`pictures differ in size: ${a.length} and ${b.length} pixels`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / Math.max(1, a.length);
}
