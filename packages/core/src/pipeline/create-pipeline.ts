import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PIPELINE_DEFAULTS, withDefaults, type PipelineTuning } from '../defaults.js';
import { ProviderError, ScriptSenseiError, toCancelled, throwIfAborted } from '../errors.js';
import { mapWithAbort } from '../map-with-abort.js';
import { probeDurationSeconds, wavDurationSeconds } from '../media/audio-duration.js';
import { resolveBinaries, type BinaryOptions, type ResolvedBinaries } from '../media/binaries.js';
import { composeVideo } from '../media/compose.js';
import { PLATFORM_PRESETS, VIDEO_FPS, type Platform } from '../platforms.js';
import { resolveRenderRequest, type RenderRequest, type ResolvedRenderRequest } from '../request.js';
import { splitScenes, type Scene } from '../script/split-scenes.js';
import type { ImageFormat, ImageProvider } from '../specs/image-provider.js';
import type { StorageProvider } from '../specs/storage-provider.js';
import type { TTSProvider } from '../specs/tts-provider.js';
import { ProgressReporter, type ProgressEvent } from './progress.js';
import { createWorkDir } from './work-dirs.js';
import { ArtifactCache, type ArtifactCacheOptions, type CacheStats } from '../cache/artifact-cache.js';

export interface PipelineOptions extends Partial<PipelineTuning>, BinaryOptions {
  tts: TTSProvider;
  images: ImageProvider;
  storage: StorageProvider;
  /**
   * Reuse narration and images across renders, keyed by their content: re-rendering an edited
   * script redoes only the scenes that changed. `true` uses an in-memory index and `storage`.
   * @defaultValue false
   */
  cache?: boolean | ArtifactCacheOptions;
}

export interface RunOptions {
  /** Cancels the render: child processes are killed and temporary files removed. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** One scene of a finished video. */
export interface SceneResult {
  index: number;
  text: string;
  startSeconds: number;
  durationSeconds: number;
  /** Length of the scene's narration; the scene lasts at least this long. */
  audioSeconds: number;
}

export interface RenderResult {
  /** Storage key of the MP4. */
  key: string;
  /** URL of the MP4 as given by the storage provider. */
  url: string;
  durationSeconds: number;
  sizeBytes: number;
  width: number;
  height: number;
  fps: number;
  platform: Platform;
  language: string;
  scenes: SceneResult[];
  /** Wall time of each stage, in milliseconds. */
  timings: Record<'analyzeMs' | 'narrateMs' | 'illustrateMs' | 'composeMs' | 'publishMs', number>;
  /** Artifact cache hits and misses, when the pipeline has a cache. */
  cache?: CacheStats;
}

export interface Pipeline {
  /** Renders a request into a stored MP4. Rejects with a `ScriptSenseiError` subclass. */
  run(request: RenderRequest, options?: RunOptions): Promise<RenderResult>;
  /** Validates a request and splits its script into scenes, without rendering. */
  analyze(request: RenderRequest): { request: ResolvedRenderRequest; scenes: Scene[] };
  /** The ffmpeg and ffprobe in use; throws a `ConfigurationError` when either is missing. */
  binaries(): ResolvedBinaries;
  readonly tuning: Readonly<PipelineTuning>;
  /** The artifact cache, when the pipeline has one (the job engine sweeps it). */
  readonly cache?: ArtifactCache;
  /** The providers this pipeline renders with (the job engine deletes expired videos through `storage`). */
  readonly providers: { readonly tts: TTSProvider; readonly images: ImageProvider; readonly storage: StorageProvider };
}

/** A scene is shown at least this long, even when its narration is shorter (or silent). */
const MIN_SCENE_SECONDS = 1;
/** The most a `targetDurationSeconds` hint may hold one scene beyond its narration. */
const MAX_PACING_SECONDS = 1.5;

/**
 * Scene lengths: each scene's narration (at least `MIN_SCENE_SECONDS`), plus an equal pause
 * after each when a target duration asks for a longer video, capped per scene.
 */
export function pacedDurations(audioSeconds: number[], targetSeconds: number | undefined): number[] {
  const base = audioSeconds.map((s) => Math.max(MIN_SCENE_SECONDS, s));
  const total = base.reduce((a, b) => a + b, 0);
  if (!targetSeconds || targetSeconds <= total || base.length === 0) return base;
  const pause = Math.min(MAX_PACING_SECONDS, (targetSeconds - total) / base.length);
  return base.map((s) => s + pause);
}

const EXTENSIONS: Record<ImageFormat, string> = { png: '.png', jpeg: '.jpg', webp: '.webp' };

/** Creates the script → scenes → speech → images → MP4 → storage pipeline. */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { tts, images, storage, ffmpegPath, ffprobePath, cache: cacheOption, ...overrides } = options;
  const cache = cacheOption ? new ArtifactCache({ storage, ...(cacheOption === true ? {} : cacheOption) }) : undefined;
  const tuning: PipelineTuning = withDefaults(PIPELINE_DEFAULTS, overrides);
  let binaries: ResolvedBinaries | undefined;
  const getBinaries = () => (binaries ??= resolveBinaries({ ffmpegPath, ffprobePath }));

  function analyze(input: RenderRequest) {
    const request = resolveRenderRequest(input, tuning.maxScriptCharacters);
    const scenes = splitScenes(request.script, {
      language: request.language,
      maxSceneCharacters: tuning.maxSceneCharacters,
    });
    return { request, scenes };
  }

  async function run(input: RenderRequest, runOptions: RunOptions = {}): Promise<RenderResult> {
    const signal = runOptions.signal ?? new AbortController().signal;
    const progress = new ProgressReporter(runOptions.onProgress);
    const timings = { analyzeMs: 0, narrateMs: 0, illustrateMs: 0, composeMs: 0, publishMs: 0 };
    let clock = performance.now();
    const lap = (name: keyof typeof timings) => {
      const now = performance.now();
      timings[name] = Math.round(now - clock);
      clock = now;
    };

    throwIfAborted(signal);
    const { request, scenes } = analyze(input);
    const cacheStats: CacheStats | undefined = cache && { tts: { hits: 0, misses: 0 }, images: { hits: 0, misses: 0 } };
    const narrator = cache && cacheStats ? cache.tts(tts, cacheStats.tts) : tts;
    const illustrator = cache && cacheStats ? cache.images(images, cacheStats.images) : images;
    progress.stage('analyzing', 0, 'Analyzing script');
    const { ffmpeg, ffprobe } = getBinaries();
    const { width, height } = PLATFORM_PRESETS[request.platform];
    progress.stage('analyzing', 1, `Script analyzed: ${scenes.length} scene${scenes.length === 1 ? '' : 's'}`);
    lap('analyzeMs');

    const workDir = await createWorkDir(tuning.tempDir);
    try {
      const n = scenes.length;
      let narrated = 0;
      progress.stage('narrating', 0, `Generating audio (0/${n} scenes)`);
      const audio = await mapWithAbort(scenes, tuning.concurrency, signal, async (scene, i, sceneSignal) => {
        const path = join(workDir, `scene-${pad(i)}.audio`);
        const result = await callProvider(tts.provider, sceneSignal, () =>
          narrator.synthesize({ text: scene.text, language: request.language, voice: request.voice, outputPath: path, signal: sceneSignal }),
        );
        const seconds = result.durationSeconds ?? (await wavDurationSeconds(path)) ?? (await probeDurationSeconds(ffprobe, path));
        if (!Number.isFinite(seconds) || seconds < 0) {
          throw new ProviderError(tts.provider, `returned audio of invalid duration ${seconds} for scene ${i}`);
        }
        narrated += 1;
        progress.stage('narrating', narrated / n, `Generating audio (${narrated}/${n} scenes)`);
        return { path, seconds };
      });
      lap('narrateMs');

      let illustrated = 0;
      progress.stage('illustrating', 0, `Generating images (0/${n} scenes)`);
      const imagePaths = await mapWithAbort(scenes, tuning.concurrency, signal, async (scene, i, sceneSignal) => {
        const base = join(workDir, `scene-${pad(i)}`);
        const { format } = await callProvider(images.provider, sceneSignal, () =>
          illustrator.generate({
            text: scene.text,
            title: request.title,
            sceneIndex: i,
            sceneCount: n,
            width,
            height,
            style: request.style,
            outputPath: `${base}.image`,
            signal: sceneSignal,
          }),
        );
        const extension = EXTENSIONS[format];
        if (!extension) throw new ProviderError(images.provider, `returned unknown image format ${String(format)}`, { retryable: false });
        // ffmpeg's still-image reader picks its decoder from the file extension.
        await rename(`${base}.image`, `${base}${extension}`);
        illustrated += 1;
        progress.stage('illustrating', illustrated / n, `Generating images (${illustrated}/${n} scenes)`);
        return `${base}${extension}`;
      });
      lap('illustrateMs');

      const outputPath = join(workDir, 'video.mp4');
      const durations = pacedDurations(
        audio.map((a) => a.seconds),
        request.targetDurationSeconds,
      );
      const composed = await composeVideo(
        scenes.map((_, i) => ({ imagePath: imagePaths[i]!, audioPath: audio[i]!.path, durationSeconds: durations[i]! })),
        {
          ffmpegPath: ffmpeg,
          width,
          height,
          fps: VIDEO_FPS,
          workDir,
          outputPath,
          x264Preset: tuning.x264Preset,
          crf: tuning.crf,
          gopSeconds: tuning.gopSeconds,
          audioBitrate: tuning.audioBitrate,
          concurrency: tuning.concurrency,
          signal,
          onProgress: (fraction, message) => progress.stage('composing', fraction, message),
        },
      );
      lap('composeMs');

      throwIfAborted(signal);
      progress.stage('publishing', 0, 'Saving video');
      const key = request.outputKey ?? `${tuning.keyPrefix}${randomUUID()}.mp4`;
      const { size } = await stat(outputPath);
      await callProvider(storage.provider, signal, () =>
        storage.put(key, createReadStream(outputPath), { contentType: 'video/mp4', signal }),
      );
      const url = await callProvider(storage.provider, signal, () => storage.url(key));
      lap('publishMs');
      progress.complete('Video ready');

      return {
        key,
        url,
        durationSeconds: composed.durationSeconds,
        sizeBytes: size,
        width,
        height,
        fps: VIDEO_FPS,
        platform: request.platform,
        language: request.language,
        scenes: scenes.map((scene, i) => ({
          index: i,
          text: scene.text,
          startSeconds: composed.plan[i]!.startFrame / VIDEO_FPS,
          durationSeconds: composed.plan[i]!.frames / VIDEO_FPS,
          audioSeconds: audio[i]!.seconds,
        })),
        timings,
        ...(cacheStats ? { cache: cacheStats } : {}),
      };
    } catch (error) {
      if (signal.aborted) throw toCancelled(signal.reason);
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  return { run, analyze, binaries: getBinaries, tuning, providers: { tts, images, storage }, ...(cache ? { cache } : {}) };
}

/**
 * Calls a provider and makes whatever it throws typed: our own errors pass through, an abort
 * becomes a `CancelledError`, anything else a retryable `ProviderError` naming the provider.
 */
async function callProvider<T>(provider: string, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal.aborted) throw toCancelled(signal.reason);
    if (ScriptSenseiError.is(error)) throw error;
    throw new ProviderError(provider, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function pad(index: number): string {
  return String(index).padStart(4, '0');
}

