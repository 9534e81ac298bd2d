import { LOUDNESS_DEFAULTS, MUSIC_DEFAULTS } from '../defaults.js';
import { RenderError } from '../errors.js';
import { runFfmpeg, type FfmpegJob } from './ffmpeg-run.js';

/** A background track under the narration. */
export interface MusicBed {
  /** Local path of the music file (any format ffmpeg reads). */
  path: string;
  /** Level of the music where nobody speaks, relative to the normalised narration, in dB (negative). @defaultValue -12 */
  volumeDb?: number;
  /**
   * Extra attenuation while the voice speaks, in dB (positive). Depths past about 30 dB reach
   * the compressor's own limit and come out somewhat shallower. @defaultValue 12
   */
  duckDb?: number;
  /** Fade-out length at the end of the video, seconds. @defaultValue 2 */
  fadeOutSeconds?: number;
}

export interface MixAudioOptions {
  ffmpegPath: string;
  /**
   * An ffconcat file (already written by the caller) placing each narration file at its
   * scene's start: gaps between the files' timestamps become silence.
   */
  narrationListPath: string;
  /** Exact output length, seconds (the video's frame count / fps). */
  durationSeconds: number;
  music?: MusicBed;
  /** Integrated loudness target, LUFS. @defaultValue -16 */
  targetLufs?: number;
  /** True-peak ceiling of the encoded file, dBTP. @defaultValue -1 */
  truePeakDb?: number;
  /** AAC bitrate, e.g. `128k`. */
  audioBitrate: string;
  /** @defaultValue 48000 */
  sampleRate?: number;
  /** Where the AAC-in-MP4 (`.m4a`) soundtrack is written. */
  outputPath: string;
  /** Scratch directory, owned by the caller. */
  workDir: string;
  signal: AbortSignal;
  /** Called with the encoding pass's output time, in seconds (the measuring passes are not reported). */
  onTime?: (seconds: number) => void;
}

/** Loudness of the encoded soundtrack, measured by `ebur128` on the file written. */
export interface MixAudioResult {
  /** Integrated loudness, LUFS; silence reads -70 (the meter's gate). */
  integratedLufs: number;
  /** True peak (4x oversampled), dBTP; silence reads -70 like the loudness. */
  truePeakDb: number;
}


/**
 * The limiter holds sample peaks this far under the true-peak ceiling: peaks between samples
 * and the AAC encoder's overshoot (a few tenths of a dB, measured on speech at 64 kb/s) must fit in it.
 */
const TRUE_PEAK_MARGIN_DB = 1.5;
/**
 * Bound of the correction applied to the whole mix. Where music fills most of the timeline the
 * mix measures under the voice's level, and reaching the target would drive the voice deep
 * into the limiter: past this, the mix stays under the target instead.
 */
const MAX_CORRECTION_DB = 6;
/** ebur128's absolute gate: a programme at or under it is silence, and has no gain to correct. */
const SILENCE_LUFS = -70;

type Input = FfmpegJob['inputs'][number];

/**
 * Mixes the final soundtrack: narration with silence in its gaps, the music bed (looped, ducked
 * by a sidechain compressor keyed on the voice, faded out), at `targetLufs` integrated under a
 * true-peak ceiling, encoded to AAC.
 *
 * Loudness is measured with `ebur128`, a sixth of `loudnorm`'s cost (loudnorm resamples to
 * 192 kHz: 1.4 s of CPU per minute of audio against 0.22 s). Passes: the voice and the music
 * (in parallel) give their gains; the mix through its limiter gives the correction that brings
 * the whole mix to the target, applied to the sum before the limiter (the music adds loudness
 * where the voice pauses, the limiter takes a little off the peaks); the encoding pass; the
 * encoded file, measured for the result.
 */
export async function mixAudio(options: MixAudioOptions): Promise<MixAudioResult> {
  const target = options.targetLufs ?? LOUDNESS_DEFAULTS.targetLufs;
  const ceiling = options.truePeakDb ?? LOUDNESS_DEFAULTS.truePeakDb;
  const rate = options.sampleRate ?? 48000;
  const duration = options.durationSeconds.toFixed(6);
  const format = `aformat=sample_fmts=fltp:sample_rates=${rate}:channel_layouts=stereo`;
  // Narration on the video's timeline: gaps filled with silence, exactly `duration` long.
  const voice = `[0:a]aresample=async=1:first_pts=0,${format},apad,atrim=0:${duration}`;
  // A looped compressed track repeats its timestamps a little at each seam (encoder delay), so
  // atrim and afade would cut it short: the bed is timed by its sample count instead.
  const bed = (input: number) => `[${input}:a]${format},asetpts=N/SR/TB,atrim=0:${duration}`;
  const narration: Input = { path: options.narrationListPath, options: ['-f', 'concat', '-safe', '0'] };
  const music = options.music;

  const [voiceLufs, musicLufs] = await Promise.all([
    ebur128(options, [narration], `${voice}[m]`).then(integrated),
    music ? ebur128(options, [{ path: music.path }], `${bed(0)}[m]`).then(integrated) : undefined,
  ]);
  const voiced = voiceLufs > SILENCE_LUFS;
  const voiceGain = voiced ? target - voiceLufs : 0;
  const inputs: Input[] = music ? [narration, { path: music.path, options: ['-stream_loop', '-1'] }] : [narration];
  const limiter = `alimiter=limit=${(10 ** ((ceiling - TRUE_PEAK_MARGIN_DB) / 20)).toFixed(4)}:level=false:attack=5:release=50`;
  const gained = `${voice},volume=${voiceGain.toFixed(2)}dB`;
  const mix = (correctionDb: number) => {
    // A uniform gain moves every gating block alike, so ebur128 moves by exactly that much.
    const corrected = `volume=${correctionDb.toFixed(2)}dB,${limiter}`;
    if (!music || musicLufs === undefined) return `${gained},${corrected}`;
    const bedGain = (musicLufs > SILENCE_LUFS ? target - musicLufs : 0) + (music.volumeDb ?? MUSIC_DEFAULTS.volumeDb);
    const duck = music.duckDb ?? MUSIC_DEFAULTS.duckDb;
    const fade = Math.min(music.fadeOutSeconds ?? MUSIC_DEFAULTS.fadeOutSeconds, options.durationSeconds);
    return [
      `${gained},asplit=2[voice][key]`,
      // afade reads a zero duration as unset (a one-second fade): no fade is no filter.
      `${bed(1)},volume=${bedGain.toFixed(2)}dB${fade > 0 ? `,afade=t=out:st=${(options.durationSeconds - fade).toFixed(6)}:d=${fade.toFixed(6)}` : ''}[bed]`,
      // A hard, fast compressor (the normalised voice sits some 35 dB over its threshold) under
      // a `mix` that keeps 10^(-duck/20) of the dry bed: the bed drops by `duck` dB while the
      // voice speaks, stays down between words and comes back within about 0.8 s of a pause.
      `[bed][key]sidechaincompress=threshold=0.002:ratio=20:attack=10:release=400:mix=${(1 - 10 ** (-duck / 20)).toFixed(4)}[ducked]`,
      // A plain sum: amix would divide each input by the input count.
      `[voice][ducked]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3,${corrected}`,
    ].join(';');
  };
  // Without a voice there is nothing to level against: silence stays silence, music its bed level.
  const limitedLufs = voiced ? integrated(await ebur128(options, inputs, `${mix(0)}[m]`)) : SILENCE_LUFS;
  const correction = limitedLufs > SILENCE_LUFS ? Math.max(-MAX_CORRECTION_DB, Math.min(MAX_CORRECTION_DB, target - limitedLufs)) : 0;

  await runFfmpeg({
    ffmpegPath: options.ffmpegPath,
    inputs,
    filterComplex: `${mix(correction)}[out]`,
    // The native encoder's default `twoloop` search costs three times `fast` (0.9 s against 0.3 s
    // a minute here) for no audible gain on narration at these bitrates.
    outputs: [{ path: options.outputPath, options: ['-map', '[out]', '-c:a', 'aac', '-aac_coder', 'fast', '-b:a', options.audioBitrate, '-f', 'mp4'] }],
    signal: options.signal,
    ...(options.onTime ? { onTime: options.onTime } : {}),
  });
  const summary = await ebur128(options, [{ path: options.outputPath }], '[0:a]anull[m]', true);
  return { integratedLufs: integrated(summary), truePeakDb: level(summary, /^\s*Peak:\s+(\S+) dBFS/, 'true peak') };
}

/** Runs a graph's `[m]` output through `ebur128` (nothing is written) and returns its summary lines. */
async function ebur128(options: MixAudioOptions, inputs: Input[], graph: string, truePeak = false): Promise<string[]> {
  const lines: string[] = [];
  await runFfmpeg({
    ffmpegPath: options.ffmpegPath,
    inputs,
    // framelog=verbose keeps the ten lines a second it would log out of stderr; the summary stays.
    filterComplex: `${graph};[m]ebur128=framelog=verbose${truePeak ? ':peak=true' : ''}[out]`,
    outputs: [{ path: '-', options: ['-map', '[out]', '-f', 'null'] }],
    signal: options.signal,
    onStderr: (line) => lines.push(line),
  });
  return lines.slice(lines.map((l) => l.includes('Summary:')).lastIndexOf(true));
}

function integrated(summary: string[]): number {
  return level(summary, /^\s*I:\s+(\S+) LUFS/, 'integrated loudness');
}

/** A level from an ebur128 summary, floored at the meter's gate (-inf, digital silence, is no JSON number). */
function level(summary: string[], pattern: RegExp, name: string): number {
  const match = summary.map((line) => pattern.exec(line)).find(Boolean);
  if (!match) throw new RenderError(`ffmpeg ebur128 printed no ${name}`);
  const value = Number(match[1]);
  return Number.isNaN(value) ? SILENCE_LUFS : Math.max(SILENCE_LUFS, value);
}
