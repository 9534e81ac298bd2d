import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { pipeline as pump } from 'node:stream/promises';
import { join } from 'node:path';
import { mapWithAbort } from '../map-with-abort.js';
import { annexBPrefix } from './annex-b.js';
import { planFrames, type ScenePlan } from './frame-plan.js';
import { runFfmpeg } from './ffmpeg-run.js';

/** One scene's inputs to the composer. */
export interface ComposeScene {
  imagePath: string;
  audioPath: string;
  /** How long the scene is shown; at least its audio's length. */
  durationSeconds: number;
}

export interface ComposeOptions {
  ffmpegPath: string;
  width: number;
  height: number;
  fps: number;
  /** Scratch directory, owned and removed by the caller. */
  workDir: string;
  outputPath: string;
  x264Preset: string;
  crf: number;
  gopSeconds: number;
  audioBitrate: string;
  concurrency: number;
  signal: AbortSignal;
  /** Fraction of the compose stage done (0..1) and a human message. */
  onProgress?: (fraction: number, message: string) => void;
}

export interface ComposeResult {
  plan: ScenePlan[];
  frames: number;
  durationSeconds: number;
}

/** Share of the compose stage spent encoding (clips and audio); the rest is the final mux. */
const CLIP_SHARE = 0.8;

/**
 * Builds the MP4 (H.264 + AAC, `+faststart`) from still images and narration.
 *
 * A still scene needs no per-frame encoding: for each scene we encode one closed GOP of the
 * image, then repeat it by byte concatenation of the Annex-B stream, ending with a prefix of
 * it, to fill the scene's frames exactly. A 60 s video costs a few GOPs of encoding instead of 1,800 frames.
 * Meanwhile the narration is encoded in one pass from the scene files through ffmpeg's concat
 * demuxer, each scene's slot set to its frame-aligned length, with silence filling the gaps.
 * The final mux is a stream copy of both.
 */
export async function composeVideo(scenes: ComposeScene[], options: ComposeOptions): Promise<ComposeResult> {
  const { fps } = options;
  const plan = planFrames(
    scenes.map((s) => s.durationSeconds),
    fps,
  );
  const gopFrames = Math.max(1, Math.round(options.gopSeconds * fps));
  const frames = plan.reduce((sum, p) => sum + p.frames, 0);
  const durationSeconds = frames / fps;
  const report = options.onProgress ?? (() => {});
  const videoPath = join(options.workDir, 'video.h264');
  const audioPath = join(options.workDir, 'audio.m4a');

  // Audio and video are encoded side by side; if either fails, the other is stopped and both
  // are awaited, so no ffmpeg still writes into the work directory when we return.
  const controller = new AbortController();
  const forward = () => controller.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  else options.signal.addEventListener('abort', forward, { once: true });
  const guard = <T>(work: Promise<T>) =>
    work.catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
  try {
    // Progress is the mean of the clips done and of ffmpeg's own time position in the audio.
    let encoded = 0;
    let audioFraction = 0;
    const reportEncoding = () =>
      report((CLIP_SHARE * (encoded / scenes.length + audioFraction)) / 2, `Compositing video (${encoded}/${scenes.length} scenes)`);
    reportEncoding();
    const video = guard(
      mapWithAbort(scenes, options.concurrency, controller.signal, async (scene, index, clipSignal) => {
        const clip = await encodeStillClip(scene.imagePath, plan[index]!.frames, gopFrames, index, options, clipSignal);
        encoded += 1;
        reportEncoding();
        return clip;
      }).then((clips) => writeVideoStream(videoPath, clips, controller.signal)),
    );
    const audio = guard(
      encodeAudio(scenes, plan, audioPath, durationSeconds, options, controller.signal, (seconds) => {
        audioFraction = Math.min(1, seconds / durationSeconds);
        reportEncoding();
      }),
    );
    const [videoDone, audioDone] = await Promise.allSettled([video, audio]);
    for (const outcome of [videoDone, audioDone]) if (outcome.status === 'rejected') throw outcome.reason;

    report(CLIP_SHARE, 'Compositing video (muxing)');
    await runFfmpeg({
      ffmpegPath: options.ffmpegPath,
      inputs: [
        { path: videoPath, options: ['-f', 'h264', '-framerate', String(fps)] },
        { path: audioPath },
      ],
      outputs: [
        {
          path: options.outputPath,
          options: ['-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-t', durationSeconds.toFixed(3), '-movflags', '+faststart', '-f', 'mp4'],
        },
      ],
      signal: controller.signal,
      onTime: (seconds) => report(CLIP_SHARE + (1 - CLIP_SHARE) * Math.min(1, seconds / durationSeconds), 'Compositing video (muxing)'),
    });
  } finally {
    options.signal.removeEventListener('abort', forward);
  }
  report(1, 'Video composited');
  return { plan, frames, durationSeconds };
}

/** Encodes the narration track to AAC, each scene's audio starting at its scene's first frame. */
async function encodeAudio(
  scenes: ComposeScene[],
  plan: ScenePlan[],
  outputPath: string,
  durationSeconds: number,
  options: ComposeOptions,
  signal: AbortSignal,
  onTime: (seconds: number) => void,
): Promise<void> {
  const listPath = join(options.workDir, 'audio.ffconcat');
  await writeFile(listPath, audioConcatList(scenes, plan, options.fps));
  await runFfmpeg({
    ffmpegPath: options.ffmpegPath,
    inputs: [{ path: listPath, options: ['-f', 'concat', '-safe', '0'] }],
    outputs: [
      {
        path: outputPath,
        options: [
          '-map', '0:a:0',
          // Fills the gap between a scene's audio end and the next scene's slot with silence.
          '-af', 'aresample=async=1:first_pts=0',
          '-c:a', 'aac', '-b:a', options.audioBitrate, '-ar', '48000', '-ac', '2',
          '-t', durationSeconds.toFixed(3),
          '-f', 'mp4',
        ],
      },
    ],
    signal,
    onTime,
  });
}

/** A scene's encoded still GOP and how to lay it out: `repeats` whole copies, then a prefix. */
interface SceneClip {
  path: string;
  repeats: number;
  tailFrames: number;
}

/** Encodes one GOP (or the whole scene, if shorter) of a still image. */
async function encodeStillClip(
  imagePath: string,
  frames: number,
  gopFrames: number,
  index: number,
  options: ComposeOptions,
  signal: AbortSignal,
): Promise<SceneClip> {
  const path = join(options.workDir, `clip-${String(index).padStart(4, '0')}.h264`);
  await runFfmpeg({
    ffmpegPath: options.ffmpegPath,
    inputs: [{ path: imagePath, options: ['-framerate', String(options.fps)] }],
    outputs: [{ path, options: clipOptions(Math.min(frames, gopFrames), gopFrames, options) }],
    signal,
  });
  return { path, repeats: Math.floor(frames / gopFrames), tailFrames: frames % gopFrames };
}

function clipOptions(frames: number, gopFrames: number, options: ComposeOptions): string[] {
  const { width: w, height: h } = options;
  return [
    // The image is decoded and scaled once, then the loop filter repeats the frame in memory.
    '-vf',
    `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p,loop=loop=${frames - 1}:size=1:start=0`,
    '-frames:v', String(frames),
    '-an',
    ...stillEncoderOptions(options, gopFrames),
    '-f', 'h264',
  ];
}

/**
 * x264 settings for still pictures, shared with the benchmark's baseline so both encode alike.
 * Every clip is one closed GOP without B-frames, so clips can be concatenated byte-wise; the
 * lookahead and motion search are minimal because nothing moves.
 */
export function stillEncoderOptions(options: { x264Preset: string; crf: number }, gopFrames: number): string[] {
  return [
    '-c:v', 'libx264', '-preset', options.x264Preset, '-tune', 'stillimage', '-crf', String(options.crf),
    '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-bf', '0', '-g', String(gopFrames), '-keyint_min', String(gopFrames), '-sc_threshold', '0',
    '-x264-params', 'rc-lookahead=0:sync-lookahead=0:ref=1:me=dia:subme=1:trellis=0:no-mbtree=1',
  ];
}

/**
 * Lays the clips out into one Annex-B stream, reading each clip once. `pipeline` owns the file
 * stream, so a write error (disk full) rejects here instead of escaping as an unhandled event.
 */
async function writeVideoStream(path: string, clips: SceneClip[], signal: AbortSignal): Promise<void> {
  async function* parts() {
    for (const clip of clips) {
      const bytes = await readFile(clip.path);
      for (let i = 0; i < clip.repeats; i++) yield bytes;
      if (clip.tailFrames > 0) yield annexBPrefix(bytes, clip.tailFrames);
    }
  }
  await pump(parts, createWriteStream(path), { signal });
}

/** An ffconcat list placing each scene's audio at its scene's first frame. */
function audioConcatList(scenes: ComposeScene[], plan: ScenePlan[], fps: number): string {
  const lines = ['ffconcat version 1.0'];
  scenes.forEach((scene, index) => {
    lines.push(`file '${scene.audioPath.replaceAll("'", "'\\''")}'`);
    // The last scene keeps its natural length; the output is cut at the last video frame.
    if (index < scenes.length - 1) lines.push(`duration ${(plan[index]!.frames / fps).toFixed(6)}`);
  });
  return `${lines.join('\n')}\n`;
}
