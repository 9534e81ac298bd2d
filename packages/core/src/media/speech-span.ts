import { readFile } from 'node:fs/promises';
import { wavLayout } from './wav-header.js';

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

/** The samples of a 16-bit PCM WAV, or `undefined` for any other encoding. */
function pcm16(bytes: Buffer): { samples: Int16Array; rate: number; channels: number } | undefined {
  const layout = wavLayout(bytes);
  if (!layout || layout.format !== 1 || layout.bitsPerSample !== 16) return undefined;
  const samples = new Int16Array(Math.floor(layout.dataBytes / 2));
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(layout.dataOffset + 2 * i);
  return { samples, rate: layout.sampleRate, channels: layout.channels };
}
