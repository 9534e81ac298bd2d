import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { pipeline as pump } from 'node:stream/promises';
import { join, resolve } from 'node:path';
import { CancelledError, toCancelled } from '../errors.js';
import { mapWithAbort } from '../map-with-abort.js';
import { assScript, captionEvents, type CaptionEvent, type CaptionLook, type FontRunner } from '../captions/ass-script.js';
import type { Cue } from '../captions/cues.js';
import { annexBPrefix, splitPictures } from './annex-b.js';
import { mixAudio, type MixAudioResult, type MusicBed } from './audio-mix.js';
import { planFrames, type ScenePlan } from './frame-plan.js';
import { runFfmpeg } from './ffmpeg-run.js';
import { encodedFrames, sceneFrames, stillFrames, transitionFilter, type KenBurnsMove, type ScenePicture } from './scene-filters.js';
import { sceneSegments, transitionFrames as transitionSplit, type SceneSlot, type Segment } from './segment-plan.js';

/** One narration file of a scene and its exact length. */
export interface AudioPart {
  path: string;
  seconds: number;
}

/** One scene's inputs to the composer. */
export interface ComposeScene {
  /** The scene's picture: a still image, or a video clip when `kind` is `clip`. */
  imagePath: string;
  /**
   * `clip`: `imagePath` is a video, looped or cut to the scene's length and cropped to cover the
   * frame; its frames are encoded one by one (stills keep the repeated-GOP path).
   * @defaultValue 'still'
   */
  kind?: 'still' | 'clip';
  /** The scene's narration, one file or several played back to back (a phrase each). */
  audio: AudioPart[];
  /** How long the scene is shown; at least its audio's length. */
  durationSeconds: number;
  /** Captions on the scene's clock (seconds from its first frame). */
  cues?: Cue[];
}

/** How captions are drawn into the picture. */
export interface BurnInCaptions {
  look: CaptionLook;
  wordHighlight: boolean;
  /** Folder (in `workDir`) holding the fonts the captions need; libass loads only these. */
  fontsDir: string;
  fontRuns: FontRunner;
}

/** A finished run of frames and its place on the timeline, for the live stream. */
export interface ComposedChunk {
  index: number;
  /** Annex-B H.264 of the chunk, starting with an IDR picture. */
  videoPath: string;
  frames: number;
  startSeconds: number;
  /** An ffconcat placing the narration of every scene up to this one on the video's timeline. */
  narrationListPath: string;
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
  /** Burn captions in (scenes' `cues`). */
  captions?: BurnInCaptions;
  /** The Ken Burns move of each scene, or none. */
  kenBurns?: (sceneIndex: number) => KenBurnsMove | undefined;
  transition?: { kind: 'crossfade' | 'slide'; seconds: number };
  music?: MusicBed;
  loudness?: { targetLufs: number; truePeakDb: number };
  /** Called with each scene's chunk, in scene order, as soon as it is encoded (the live stream). */
  onChunk?: (chunk: ComposedChunk) => Promise<void>;
  /** Fraction of the compose stage done (0..1) and a human message. */
  onProgress?: (fraction: number, message: string) => void;
  /**
   * Reuses encoded scenes: called with everything that determines a scene's encoded stream;
   * runs `produce` (which writes `outputPath`) only when those inputs were not seen before.
   */
  sceneCache?: (inputs: unknown[], outputPath: string, produce: () => Promise<void>) => Promise<void>;
}

export interface ComposeResult {
  plan: ScenePlan[];
  frames: number;
  durationSeconds: number;
  loudness?: { integratedLufs: number; truePeakDb: number };
}

/**
 * A caption state's picture is encoded for at most this long, then repeated. Captions change
 * every couple of seconds, so with a full GOP per state the encoder would see nearly every frame
 * of the video; a half-second unit keeps the encoding to a few hundred frames a minute, at the
 * cost of an IDR picture every half second while captions show (about 1 Mb/s at 1080p).
 */
const CAPTION_UNIT_SECONDS = 0.5;

/** Share of the compose stage spent encoding (scenes and audio); the rest is the final mux. */
const CLIP_SHARE = 0.8;

/**
 * Builds the MP4 (H.264 + AAC, `+faststart`) from still images and narration, scene by scene.
 *
 * A still picture needs no per-frame encoding: each caption state of a scene is encoded as one
 * closed GOP (or less), then repeated by byte concatenation of the Annex-B stream, ending with a
 * prefix of it, to fill its frames exactly. A 60 s video costs a few GOPs of encoding instead of
 * 1,800 frames. Only what moves (Ken Burns, video clips, transitions) is encoded frame by frame. One ffmpeg
 * per scene draws its pictures (libass for captions) and encodes them in one x264 session with a
 * forced IDR at each segment, and we cut its output into segments by picture count.
 * The soundtrack is mixed as soon as every scene is narrated, while pictures are still drawn (see
 * audio-mix.ts: music ducked under the narration, loudness normalised). The final mux is a
 * stream copy of both.
 */
export interface Composer {
  /** Hands a scene's inputs over; scenes may arrive in any order. */
  setScene(index: number, scene: ComposeScene): void;
  /**
   * Encodes scene `index` (and the transition into it) once it and every earlier scene have
   * their inputs. Call once per scene, from any number of tasks.
   */
  encodeScene(index: number, signal: AbortSignal): Promise<void>;
  /**
   * Starts mixing the soundtrack early, from every scene's narration and length (the pipeline
   * calls it once narration is done, so the mix runs while pictures are drawn). Once only; a
   * later call returns the same mix.
   */
  startSoundtrack(narration: readonly Pick<ComposeScene, 'audio' | 'durationSeconds'>[], music?: MusicBed): Promise<MixAudioResult>;
  /**
   * Lays the video out and muxes it with the soundtrack (mixing it now, with `options.music`,
   * unless started); after every `encodeScene` settled.
   */
  finish(): Promise<ComposeResult>;
  /** Stops the background work (soundtrack, live chunks) and waits for it: the render failed. */
  abandon(): Promise<void>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

/**
 * Waits for `promise`, or rejects when `signal` fires: a scene waiting on an earlier one must
 * not hang when that one failed (its task is aborted, so it never resolves).
 */
function orAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(toCancelled(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(toCancelled(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export function createComposer(sceneCount: number, options: ComposeOptions): Composer {
  const { fps } = options;
  // Work the composer runs in the background (soundtrack, live chunks) stops on `abandon()` too.
  const controller = new AbortController();
  const signal = AbortSignal.any([options.signal, controller.signal]);
  const gopFrames = Math.max(1, Math.round(options.gopSeconds * fps));
  // Stills of a captioned scene repeat a shorter unit (see CAPTION_UNIT_SECONDS); the GOP bounds it.
  const captionUnit = Math.min(gopFrames, Math.max(1, Math.round(CAPTION_UNIT_SECONDS * fps)));
  const transitionFrames = options.transition ? Math.round(options.transition.seconds * fps) : 0;
  const scenes = Array.from({ length: sceneCount }, () => deferred<ComposeScene>());
  const chunks: (Uint8Array[] | undefined)[] = new Array(sceneCount);
  const report = options.onProgress ?? (() => {});
  let encoded = 0;
  let audioFraction = 0;
  // Each scene's encoded chunk, and where it sits, once encoded (the live stream takes them in order).
  const chunkReady = Array.from({ length: sceneCount }, () => deferred<{ startFrame: number; frames: number; slots: SceneSlot[] }>());
  const reportEncoding = () =>
    report((CLIP_SHARE * (encoded / sceneCount + audioFraction)) / 2, `Compositing video (${encoded}/${sceneCount} scenes)`);

  /** Scene slots up to `index`: durations of all earlier scenes fix where it starts. */
  async function slotsUpTo(index: number, signal: AbortSignal): Promise<SceneSlot[]> {
    const known = await orAbort(Promise.all(scenes.slice(0, index + 1).map((s) => s.promise)), signal);
    const plan = planFrames(
      known.map((s) => s.durationSeconds),
      fps,
    );
    return plan.map((p, i) => ({ ...p, moving: known[i]!.kind === 'clip' || Boolean(options.kenBurns?.(i)), events: eventsOf(i, known[i]!) }));
  }

  // Each scene's caption events, worked out once (every later scene's slots include it).
  const sceneEvents: CaptionEvent[][] = [];
  function eventsOf(index: number, scene: ComposeScene): CaptionEvent[] {
    return (sceneEvents[index] ??= options.captions && scene.cues ? captionEvents(scene.cues, options.captions.wordHighlight) : []);
  }

  /**
   * Writes scene `index`'s captions as ASS on its own clock, for the task encoding scene `task`
   * (the scene before a transition is drawn by two tasks: each writes its own file).
   */
  async function sceneAss(index: number, task: number, slot: SceneSlot): Promise<string | undefined> {
    if (!options.captions || slot.events.length === 0) return undefined;
    const name = `captions-${pad(index)}-${pad(task)}.ass`;
    await writeFile(join(options.workDir, name), assScript(slot.events, options.captions.look, options, options.captions.fontRuns));
    return name;
  }

  /** How the transition into scene `i` splits around its first frame. */
  const transitionInto = (slots: readonly SceneSlot[], i: number) => transitionSplit(slots[i - 1]?.frames, slots[i]!.frames, transitionFrames);

  async function encodeScene(index: number, signal: AbortSignal): Promise<void> {
    const slots = await slotsUpTo(index, signal);
    const segments = sceneSegments(slots, index, sceneCount, transitionFrames, fps);
    const slot = slots[index]!;
    // A scene with captions changes picture every few seconds: its stills repeat a shorter unit.
    const unitFrames = slot.events.length > 0 ? captionUnit : gopFrames;
    const pictures: ScenePicture[] = [];
    const inputs: { path: string; options?: string[] }[] = [];
    const picture = async (i: number): Promise<ScenePicture> => {
      const source = await orAbort(scenes[i]!.promise, signal);
      const clip = source.kind === 'clip';
      const move = clip ? undefined : options.kenBurns?.(i);
      const assPath = await sceneAss(i, index, slots[i]!);
      // A clip loops for as long as its scene needs; the filter graph cuts the frames it shows.
      inputs.push({ path: source.imagePath, options: clip ? ['-stream_loop', '-1'] : ['-framerate', String(fps)] });
      return {
        input: inputs.length - 1,
        frames: slots[i]!.frames,
        ...(move ? { move } : {}),
        ...(clip ? { clip: { offset: transitionInto(slots, i).before } } : {}),
        ...(assPath ? { assPath, fontsDir: options.captions!.fontsDir } : {}),
      };
    };
    pictures[index] = await picture(index);
    if (segments[0]?.kind === 'transition') pictures[index - 1] = await picture(index - 1);

    // Each segment's frames as a chain; all are joined in order and encoded in one session.
    const chains: string[] = [];
    const labels: string[] = [];
    const stills = segments.filter((s): s is Extract<Segment, { kind: 'still' }> => s.kind === 'still');
    for (const segment of segments) {
      const label = `s${labels.length}`;
      if (segment.kind === 'transition') {
        const before = slot.startFrame - segment.startFrame;
        const previous = slots[index - 1]!;
        chains.push(sceneFrames(pictures[index - 1]!, previous.frames - before, segment.frames, options, `${label}a`));
        chains.push(sceneFrames(pictures[index]!, -before, segment.frames, options, `${label}b`));
        chains.push(transitionFilter(options.transition!.kind, `${label}a`, `${label}b`, segment.frames, options, label));
        labels.push(label);
      } else if (segment.kind === 'scene') {
        chains.push(sceneFrames(pictures[index]!, segment.startFrame - slot.startFrame, segment.frames, options, label));
        labels.push(label);
      } else if (segment === stills[0]) {
        // Every still of the scene comes from one chain: one decode, one libass instance.
        chains.push(
          stillFrames(
            pictures[index]!,
            stills.map((s) => ({ sceneFrame: s.startFrame - slot.startFrame, frames: encodedFrames(s, unitFrames) })),
            options,
            label,
          ),
        );
        labels.push(label);
      }
    }
    const graph = [...chains, labels.length > 1 ? `${labels.map((l) => `[${l}]`).join('')}concat=n=${labels.length}:v=1:a=0[out]` : `[${labels[0]}]null[out]`].join(';');
    const counts = segments.map((s) => encodedFrames(s, unitFrames));
    const total = counts.reduce((a, b) => a + b, 0);
    // A forced IDR where each segment starts, so each piece stands on its own.
    let at = 0;
    const keyframes = counts.map((c) => {
      const time = Math.max(0, (at - 0.25) / fps).toFixed(6);
      at += c;
      return time;
    });
    const streamPath = join(options.workDir, `scene-${pad(index)}.h264`);
    const outputOptions = [
      '-map', '[out]', '-frames:v', String(total), '-vsync', '0', '-an',
      '-force_key_frames', keyframes.join(','),
      ...stillEncoderOptions(options, gopFrames),
      '-f', 'h264',
    ];
    const encode = () => runFfmpeg({ ffmpegPath: options.ffmpegPath, cwd: options.workDir, inputs, filterComplex: graph, outputs: [{ path: streamPath, options: outputOptions }], signal });
    if (options.sceneCache) {
      // The graph names its files; their contents (pictures, captions) complete the key.
      const contents = await Promise.all([...inputs.map((i) => i.path), ...assFiles(graph)].map((f) => digest(resolve(options.workDir, f))));
      await options.sceneCache([graph, outputOptions, contents, options.width, options.height, options.fps], streamPath, encode);
    } else await encode();
    const pieces = splitPictures(await readFile(streamPath), counts);
    // Lay each segment out: stills repeat their unit (whole copies, then a prefix).
    chunks[index] = segments.flatMap((segment, i) => {
      const piece = pieces[i]!;
      if (segment.kind !== 'still') return [piece];
      const unit = counts[i]!;
      const out: Uint8Array[] = new Array(Math.floor(segment.frames / unit)).fill(piece);
      if (segment.frames % unit) out.push(annexBPrefix(piece, segment.frames % unit));
      return out;
    });
    encoded += 1;
    reportEncoding();
    chunkReady[index]!.resolve({ startFrame: segments[0]?.startFrame ?? slot.startFrame, frames: segments.reduce((sum, s) => sum + s.frames, 0), slots });
  }

  /**
   * Hands chunks to `onChunk` in scene order, in the background: a scene's encoding slot is
   * free for the next scene while its chunk is packaged and stored.
   */
  async function publishChunks(onChunk: NonNullable<ComposeOptions['onChunk']>): Promise<void> {
    for (let index = 0; index < sceneCount; index++) {
      const { startFrame, frames, slots } = await orAbort(chunkReady[index]!.promise, signal);
      const videoPath = join(options.workDir, `chunk-${pad(index)}.h264`);
      await pump(chunks[index]!, createWriteStream(videoPath), { signal: signal });
      const narrationListPath = join(options.workDir, `narration-${pad(index)}.ffconcat`);
      const known = await Promise.all(scenes.slice(0, index + 1).map((s) => s.promise));
      await writeFile(narrationListPath, narrationList(known, slots.slice(0, index + 1), fps, false));
      await onChunk({ index, videoPath, frames, startSeconds: startFrame / fps, narrationListPath });
    }
  }
  const publishing = options.onChunk ? publishChunks(options.onChunk) : Promise.resolve();
  // Awaited by finish(); until then a failure must not count as unhandled.
  publishing.catch(() => undefined);

  let soundtrack: Promise<MixAudioResult> | undefined;

  /**
   * Mixes the soundtrack from every scene's narration and length, which are known once the
   * scenes are narrated: the mix then runs while the pictures are still drawn and encoded.
   */
  function startSoundtrack(narration: readonly Pick<ComposeScene, 'audio' | 'durationSeconds'>[], music?: MusicBed): Promise<MixAudioResult> {
    soundtrack ??= (async () => {
      const plan = planFrames(
        narration.map((s) => s.durationSeconds),
        fps,
      );
      const durationSeconds = plan.reduce((sum, p) => sum + p.frames, 0) / fps;
      const listPath = join(options.workDir, 'narration.ffconcat');
      await writeFile(listPath, narrationList(narration, plan, fps, true));
      return mixAudio({
        ffmpegPath: options.ffmpegPath,
        narrationListPath: listPath,
        durationSeconds,
        ...(music ? { music } : {}),
        ...(options.loudness ?? {}),
        audioBitrate: options.audioBitrate,
        outputPath: join(options.workDir, 'audio.m4a'),
        workDir: options.workDir,
        signal,
        onTime: (seconds) => {
          audioFraction = Math.min(1, seconds / durationSeconds);
          reportEncoding();
        },
      });
    })();
    // Awaited by finish(); until then a failure must not count as unhandled.
    soundtrack.catch(() => undefined);
    return soundtrack;
  }

  async function finish(): Promise<ComposeResult> {
    const all = await Promise.all(scenes.map((s) => s.promise));
    const slots = await slotsUpTo(sceneCount - 1, signal);
    const frames = slots.reduce((sum, s) => sum + s.frames, 0);
    const durationSeconds = frames / fps;
    const videoPath = join(options.workDir, 'video.h264');
    const audioPath = join(options.workDir, 'audio.m4a');
    const missing = chunks.findIndex((c) => !c);
    if (missing >= 0) throw new RangeError(`scene ${missing} was never encoded`);
    const [, loudness] = await Promise.all([
      pump(chunks.flat() as Uint8Array[], createWriteStream(videoPath), { signal: signal }),
      startSoundtrack(all, options.music),
    ]);
    // The live stream has every scene before the video is declared done.
    await publishing;
    report(CLIP_SHARE, 'Compositing video (muxing)');
    await runFfmpeg({
      ffmpegPath: options.ffmpegPath,
      inputs: [{ path: videoPath, options: ['-f', 'h264', '-framerate', String(fps)] }, { path: audioPath }],
      outputs: [
        {
          path: options.outputPath,
          options: ['-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-t', durationSeconds.toFixed(3), '-movflags', '+faststart', '-f', 'mp4'],
        },
      ],
      signal,
      onTime: (seconds) => report(CLIP_SHARE + (1 - CLIP_SHARE) * Math.min(1, seconds / durationSeconds), 'Compositing video (muxing)'),
    });
    report(1, 'Video composited');
    return { plan: slots.map(({ startFrame, frames: f }) => ({ startFrame, frames: f })), frames, durationSeconds, loudness };
  }

  async function abandon(): Promise<void> {
    controller.abort(new CancelledError('The render was abandoned'));
    await Promise.allSettled([soundtrack, publishing]);
  }

  return {
    setScene: (index, scene) => scenes[index]!.resolve(scene),
    encodeScene,
    startSoundtrack,
    finish,
    abandon,
  };
}

/**
 * Composes a whole video from scenes whose inputs are all ready (the benchmark and tests use
 * this; the pipeline drives a {@link Composer} scene by scene).
 */
export async function composeVideo(scenes: ComposeScene[], options: ComposeOptions): Promise<ComposeResult> {
  const composer = createComposer(scenes.length, options);
  scenes.forEach((scene, i) => composer.setScene(i, scene));
  await mapWithAbort(scenes, options.concurrency, options.signal, (_, i, signal) => composer.encodeScene(i, signal));
  return composer.finish();
}

/**
 * x264 settings shared by every segment (and the benchmark's baseline), so segments from
 * separate sessions join into one valid stream with the same parameter sets. No B-frames and
 * one reference keep a prefix of a GOP decodable; the lookahead and motion search are minimal
 * because stills do not move and moving scenes move slowly: full-pixel search and no inter
 * partitions take a fifth off the time of a still's repeated frames for the same bytes, while
 * the intra partitions keep text sharp. SPS/PPS repeat before every IDR so each cut segment
 * carries its own.
 */
export function stillEncoderOptions(options: { x264Preset: string; crf: number }, gopFrames: number): string[] {
  return [
    '-c:v', 'libx264', '-preset', options.x264Preset, '-tune', 'stillimage', '-crf', String(options.crf),
    '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-bf', '0', '-g', String(gopFrames), '-keyint_min', String(gopFrames), '-sc_threshold', '0',
    '-x264-params', 'rc-lookahead=0:sync-lookahead=0:ref=1:me=dia:subme=0:partitions=i4x4,i8x8:trellis=0:no-mbtree=1:repeat-headers=1',
  ];
}

/**
 * An ffconcat list placing each scene's narration at its scene's first frame: a scene's parts
 * play back to back, the last part's slot running to the scene's end. `open` leaves the last
 * part without a length (the output is cut at the last video frame).
 */
function narrationList(scenes: readonly Pick<ComposeScene, 'audio'>[], slots: readonly ScenePlan[], fps: number, openEnd: boolean): string {
  const lines = ['ffconcat version 1.0'];
  scenes.forEach((scene, index) => {
    const slotSeconds = slots[index]!.frames / fps;
    let used = 0;
    scene.audio.forEach((part, p) => {
      lines.push(`file '${part.path.replaceAll("'", "'\\''")}'`);
      const last = p === scene.audio.length - 1;
      if (last && index === scenes.length - 1 && openEnd) return;
      const seconds = last ? slotSeconds - used : part.seconds;
      used += seconds;
      lines.push(`duration ${Math.max(0, seconds).toFixed(6)}`);
    });
  });
  return `${lines.join('\n')}\n`;
}

/** The ASS files a filter graph reads (plain work-directory names, see scene-filters). */
function assFiles(graph: string): string[] {
  return [...graph.matchAll(/ass=filename=([\w.-]+)/g)].map((m) => m[1]!);
}

async function digest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

function pad(index: number): string {
  return String(index).padStart(4, '0');
}
