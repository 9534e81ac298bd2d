import { readFile } from 'node:fs/promises';

/** When speech starts and ends in a narration file, seconds from its start. */
export interface SpeechSpan {
  startSeconds: number;
  endSeconds: number;
}

/** Analysis window: 10 ms, short against a syllable, long against a waveform period. */
const WINDOW_SECONDS = 0.01;
/** A window is speech when its RMS is within this ratio of the loudest window's (-26 dB). */
const SPEECH_RATIO = 0.05;

/**
 * Finds where speech begins and ends in a 16-bit PCM WAV (what espeak-ng and most engines
 * write), so captions start on the first spoken sound rather than on the file's leading
 * silence. Returns `undefined` for other formats; the caller then uses the whole file.
 */
export async function speechSpan(path: string): Promise<SpeechSpan | undefined> {
  const bytes = await readFile(path);
  const pcm = pcm16(bytes);
  if (!pcm) return undefined;
  const { samples, rate, channels } = pcm;
  const window = Math.max(1, Math.round(rate * WINDOW_SECONDS)) * channels;
  const rms: number[] = [];
  for (let at = 0; at < samples.length; at += window) {
    let sum = 0;
    const end = Math.min(samples.length, at + window);
    for (let i = at; i < end; i++) sum += samples[i]! * samples[i]!;
    rms.push(Math.sqrt(sum / Math.max(1, end - at)));
  }
  const loudest = Math.max(0, ...rms);
  if (loudest === 0) return undefined;
  const first = rms.findIndex((r) => r >= loudest * SPEECH_RATIO);
  const last = rms.length - 1 - [...rms].reverse().findIndex((r) => r >= loudest * SPEECH_RATIO);
  const seconds = (w: number) => (w * window) / channels / rate;
  return { startSeconds: seconds(first), endSeconds: Math.min(samples.length / channels / rate, seconds(last + 1)) };
}

function pcm16(bytes: Buffer): { samples: Int16Array; rate: number; channels: number } | undefined {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let rate = 0;
  let channels = 0;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      if (bytes.readUInt16LE(offset + 8) !== 1 || bytes.readUInt16LE(offset + 22) !== 16) return undefined;
      channels = bytes.readUInt16LE(offset + 10);
      rate = bytes.readUInt32LE(offset + 12);
    } else if (id === 'data' && rate > 0) {
      // Streaming writers may leave a placeholder size: the file's end bounds the data.
      const end = Math.min(bytes.length, offset + 8 + size);
      const start = offset + 8;
      const copy = new Int16Array(Math.floor((end - start) / 2));
      for (let i = 0; i < copy.length; i++) copy[i] = bytes.readInt16LE(start + 2 * i);
      return { samples: copy, rate, channels };
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
