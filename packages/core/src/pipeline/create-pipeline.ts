import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LOUDNESS_DEFAULTS, PIPELINE_DEFAULTS, withDefaults, type PipelineTuning } from '../defaults.js';
import { ProviderError, ValidationError, toCancelled, throwIfAborted } from '../errors.js';
import { mapWithAbort } from '../map-with-abort.js';
import { resolveBinaries, type BinaryOptions, type ResolvedBinaries } from '../media/binaries.js';
import { createComposer, type Composer } from '../media/compose.js';
import { createHlsLive, type HlsLive } from '../media/hls-live.js';
import { fetchMusic } from '../media/music-source.js';
import { writeThumbnail } from '../media/thumbnail.js';
import { VIDEO_FPS, type Platform } from '../platforms.js';
import { resolveRenderRequest, type RenderQuality, type RenderRequest, type ResolvedRenderRequest } from '../request.js';
import { splitScenes, type Scene } from '../script/split-scenes.js';
import type { ClipFormat, ImageFormat, ImageProvider } from '../specs/image-provider.js';
import type { StorageProvider } from '../specs/storage-provider.js';
import type { TTSProvider } from '../specs/tts-provider.js';
import { captionFonts } from '../captions/caption-fonts.js';
import { shiftCues } from '../captions/cues.js';
import { toSrt, toVtt } from '../captions/subtitle-files.js';
import { callProvider } from './call-provider.js';
import { narrate } from './narrate.js';
import { ProgressReporter, type ProgressEvent } from './progress.js';
import { renderSettings } from './render-settings.js';
import { createWorkDir } from './work-dirs.js';
import { ArtifactCache, type ArtifactCacheOptions, type CacheStats } from '../cache/artifact-cache.js';

/**
 * Target duration of the live HLS playlist: it may not change while the playlist grows, so it
 * covers the longest scene (220 characters read slowly, plus the pacing pause).
 */
const HLS_TARGET_SECONDS = 30;

export interface PipelineOptions extends Partial<PipelineTuning>, BinaryOptions {
  /** The TTS provider that narrates requests naming no `voiceProvider`. */
  tts: TTSProvider;
  /**
   * More TTS providers a request may pick by id with `voiceProvider` (`tts` answers to its own
   * id too). A request naming any other is refused with a `ValidationError` on `voiceProvider`.
   * @defaultValue none
   */
  voices?: readonly TTSProvider[];
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
  /** Called once, when the first scene of the live HLS stream is published (standard quality only). */
  onLive?: (stream: LiveStream) => void;
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
  /** `standard`, or `preview` for a fast draft. */
  quality: RenderQuality;
  /** The caption sidecars, when the request asked for captions. */
  captions?: CaptionFiles;
  /** A poster image of the video (JPEG). */
  thumbnail?: StoredFile;
  /** The HLS playlist published while the video rendered (fMP4 segments); complete once the job is. */
  hls?: StoredFile;
  /** Integrated loudness (LUFS) and true peak (dBTP) of the final mix. */
  loudness?: { integratedLufs: number; truePeakDb: number };
  /** Every storage key this render wrote (video, sidecars, thumbnail, HLS files): retention deletes them all. */
  artifacts: string[];
}

/** A file the render stored beside the video. */
export interface StoredFile {
  key: string;
  url: string;
}

/** The caption sidecars stored beside the video. */
export interface CaptionFiles {
  srt: StoredFile;
  vtt: StoredFile;
  /** How many cues they hold. */
  cues: number;
}

/** The live stream of a render, published before the render ends. */
export interface LiveStream {
  /** Storage key of the HLS playlist (`<video key without .mp4>.hls/index.m3u8`). */
  playlistKey: string;
  url: string;
}

export interface Pipeline {
  /** Renders a request into a stored MP4. Rejects with a `ScriptSenseiError` subclass. */
  run(request: RenderRequest, options?: RunOptions): Promise<RenderResult>;
  /** Validates a request and splits its script into scenes, without rendering. */
  analyze(request: RenderRequest): { request: ResolvedRenderRequest; scenes: Scene[] };
  /**
   * `analyze`, plus the checks that need a provider (the TTS speaks the language and voice).
   * Throws a `ValidationError` naming the field at fault.
   */
  validate(request: RenderRequest): Promise<void>;
  /** The ffmpeg and ffprobe in use; throws a `ConfigurationError` when either is missing. */
  binaries(): ResolvedBinaries;
  readonly tuning: Readonly<PipelineTuning>;
  /** The artifact cache, when the pipeline has one (the job engine sweeps it). */
  readonly cache?: ArtifactCache;
  /**
   * The providers this pipeline renders with (the job engine deletes expired videos through
   * `storage`); `voices` holds every TTS provider a request may pick, `tts` first.
   */
  readonly providers: { readonly tts: TTSProvider; readonly voices: readonly TTSProvider[]; readonly images: ImageProvider; readonly storage: StorageProvider };
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
const CLIP_EXTENSIONS: Record<ClipFormat, string> = { mp4: '.mp4', webm: '.webm', mov: '.mov' };

/** Creates the script → scenes → speech → images → MP4 → storage pipeline. */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { tts, voices: more = [], images, storage, ffmpegPath, ffprobePath, cache: cacheOption, ...overrides } = options;
  const voices = [tts, ...more.filter((v) => v.provider !== tts.provider)];
  /** The TTS provider a request asked for, or a `ValidationError` naming those there are. */
  const ttsFor = (request: ResolvedRenderRequest): TTSProvider => {
    if (!request.voiceProvider) return tts;
    const found = voices.find((v) => v.provider === request.voiceProvider);
    if (found) return found;
    throw new ValidationError([{ field: 'voiceProvider', message: `"${request.voiceProvider}" is not configured here; use one of ${voices.map((v) => v.provider).join(', ')}` }]);
  };
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

  async function validate(input: RenderRequest): Promise<void> {
    // Submission checks the request, not its scenes: no need to split the script here.
    const request = resolveRenderRequest(input, tuning.maxScriptCharacters);
    const speaker = ttsFor(request);
    if (!speaker.resolveVoice) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, tuning.voiceCheckMs)));
    try {
      await Promise.race([speaker.resolveVoice(request.language, request.voice), late]);
    } catch (error) {
      // Only a verdict on the request refuses it; a provider that cannot answer now (engine
      // missing in an API-only process, a vendor down or slow) leaves the check to the render.
      if (ValidationError.is(error)) throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(input: RenderRequest, runOptions: RunOptions = {}): Promise<RenderResult> {
    const signal = runOptions.signal ?? new AbortController().signal;
    const progress = new ProgressReporter(runOptions.onProgress);
    const timings = { analyzeMs: 0, narrateMs: 0, illustrateMs: 0, composeMs: 0, publishMs: 0 };
    const started = performance.now();
    let clock = started;
    const lap = (name: keyof typeof timings) => {
      const now = performance.now();
      timings[name] = Math.round(now - clock);
      clock = now;
    };

    throwIfAborted(signal);
    const { request, scenes } = analyze(input);
    const settings = renderSettings(request, tuning);
    const cacheStats: CacheStats | undefined = cache && { tts: { hits: 0, misses: 0 }, images: { hits: 0, misses: 0 }, scenes: { hits: 0, misses: 0 } };
    const speaker = ttsFor(request);
    const narrator = cache && cacheStats ? cache.tts(speaker, cacheStats.tts) : speaker;
    const illustrator = cache && cacheStats ? cache.images(images, cacheStats.images) : images;
    progress.stage('analyzing', 0, 'Analyzing script');
    const { ffmpeg, ffprobe } = getBinaries();
    const { width, height } = settings.size;
    progress.stage('analyzing', 1, `Script analyzed: ${scenes.length} scene${scenes.length === 1 ? '' : 's'}`);
    lap('analyzeMs');

    const key = request.outputKey ?? `${tuning.keyPrefix}${randomUUID()}.mp4`;
    const base = key.replace(/\.mp4$/i, '');
    const playlistKey = `${base}.hls/index.m3u8`;
    const stored: string[] = [];
    const workDir = await createWorkDir(tuning.tempDir);
    let live: HlsLive | undefined;
    /** The live stream as announced once its first scene is out; the result keeps it. */
    let stream: LiveStream | undefined;
    let composer: Composer | undefined;
    try {
      const n = scenes.length;
      const music = request.music ? fetchMusic(request.music.source, { storage, workDir, signal }) : undefined;
      // A rejection surfaces where the mix awaits it; until then it must not count as unhandled.
      music?.catch(() => undefined);
      const burnIn = settings.captions?.burnIn ? await captionFonts(settings.captions, scenes.map((s) => s.text).join(' '), workDir) : undefined;
      const outputPath = join(workDir, 'video.mp4');
      if (runOptions.onLive && request.quality === 'standard') {
        live = createHlsLive({
          ffmpegPath: ffmpeg,
          storage,
          playlistKey,
          workDir,
          fps: VIDEO_FPS,
          targetDurationSeconds: HLS_TARGET_SECONDS,
          audioBitrate: settings.audioBitrate,
          signal,
        });
      }
      const composing = createComposer(n, {
        ffmpegPath: ffmpeg,
        width,
        height,
        fps: VIDEO_FPS,
        workDir,
        outputPath,
        x264Preset: settings.x264Preset,
        crf: settings.crf,
        gopSeconds: tuning.gopSeconds,
        audioBitrate: settings.audioBitrate,
        concurrency: tuning.concurrency,
        signal,
        ...(burnIn ? { captions: burnIn } : {}),
        ...(settings.kenBurns ? { kenBurns: settings.kenBurns } : {}),
        ...(settings.transition ? { transition: settings.transition } : {}),
        loudness: { targetLufs: LOUDNESS_DEFAULTS.targetLufs, truePeakDb: LOUDNESS_DEFAULTS.truePeakDb },
        ...(cache && cacheStats ? { sceneCache: (inputs, path, produce) => cache.file('scenes', inputs, path, cacheStats.scenes, produce) } : {}),
        ...(live
          ? {
              onChunk: async (chunk) => {
                await live!.publish(chunk);
                if (chunk.index === 0) {
                  const announced: LiveStream = { playlistKey, url: await callProvider(storage.provider, signal, () => storage.url(playlistKey)) };
                  stream = announced;
                  safely(() => runOptions.onLive!(announced));
                }
              },
            }
          : {}),
        onProgress: (fraction, message) => {
          if (illustrated === n) progress.stage('composing', fraction, message);
        },
      });

      composer = composing;
      // Narration first (every scene's length fixes where the next starts, and pacing needs the
      // total), then each scene is illustrated and encoded as soon as it can be, so the first
      // scene is watchable while later ones are still being drawn.
      let narrated = 0;
      let illustrated = 0;
      progress.stage('narrating', 0, `Generating audio (0/${n} scenes)`);
      const audio = await mapWithAbort(scenes, tuning.concurrency, signal, async (scene, i, sceneSignal) => {
        const spoken = await narrate(scene.text, request, settings, narrator, speaker.provider, ffprobe, join(workDir, `scene-${pad(i)}`), sceneSignal);
        narrated += 1;
        progress.stage('narrating', narrated / n, `Generating audio (${narrated}/${n} scenes)`);
        return spoken;
      });
      lap('narrateMs');
      const durations = pacedDurations(
        audio.map((a) => a.seconds),
        request.targetDurationSeconds,
      );
      // The soundtrack needs only the narration: it mixes while the pictures are drawn.
      void composing.startSoundtrack(
        audio.map((a, i) => ({ audio: a.parts, durationSeconds: durations[i]! })),
        music && request.music ? { ...request.music, path: await music } : undefined,
      );

      progress.stage('illustrating', 0, `Generating images (0/${n} scenes)`);
      const imagePaths: string[] = new Array(n);
      const clipScenes = new Set<number>();
      await mapWithAbort(scenes, tuning.concurrency, signal, async (scene, i, sceneSignal) => {
        const baseName = join(workDir, `scene-${pad(i)}`);
        const result = await callProvider(images.provider, sceneSignal, () =>
          illustrator.generate({
            text: scene.text,
            title: request.title,
            sceneIndex: i,
            sceneCount: n,
            width,
            height,
            style: request.style,
            // Only v2 providers know what to do with it (pick a clip long enough).
            ...(images.specificationVersion === 'v2' ? { durationSeconds: durations[i]! } : {}),
            outputPath: `${baseName}.image`,
            signal: sceneSignal,
          }),
        );
        const clip = result.kind === 'clip';
        if (clip && images.specificationVersion !== 'v2') throw new ProviderError(images.provider, 'returned a clip, which only v2 image providers may', { retryable: false });
        const extension = result.kind === 'clip' ? CLIP_EXTENSIONS[result.format] : EXTENSIONS[result.format];
        if (!extension) throw new ProviderError(images.provider, `returned unknown ${clip ? 'clip' : 'image'} format ${String(result.format)}`, { retryable: false });
        // ffmpeg's still-image reader picks its decoder from the file extension.
        await rename(`${baseName}.image`, `${baseName}${extension}`);
        illustrated += 1;
        if (illustrated < n) progress.stage('illustrating', illustrated / n, `Generating images (${illustrated}/${n} scenes)`);
        else {
          lap('illustrateMs');
          progress.stage('composing', 0, 'Compositing video');
        }
        imagePaths[i] = `${baseName}${extension}`;
        if (clip) clipScenes.add(i);
        composing.setScene(i, { imagePath: imagePaths[i]!, kind: clip ? 'clip' : 'still', audio: audio[i]!.parts, durationSeconds: durations[i]!, cues: audio[i]!.cues });
        await composing.encodeScene(i, sceneSignal);
      });
      const sceneCues = audio.map((a) => a.cues);
      const composed = await composing.finish();
      lap('composeMs');

      throwIfAborted(signal);
      progress.stage('publishing', 0, 'Saving video');
      const { size } = await stat(outputPath);
      const put = async (storageKey: string, body: () => Parameters<StorageProvider['put']>[1], contentType: string) => {
        await callProvider(storage.provider, signal, () => storage.put(storageKey, body(), { contentType, signal }));
        stored.push(storageKey);
        return { key: storageKey, url: await callProvider(storage.provider, signal, () => storage.url(storageKey)) };
      };
      const allCues = sceneCues.flatMap((cues, i) => shiftCues(cues, composed.plan[i]!.startFrame / VIDEO_FPS));
      const thumbnailPath = join(workDir, 'thumbnail.jpg');
      await writeThumbnail(ffmpeg, imagePaths[0]!, thumbnailPath, { width, height, cover: clipScenes.has(0) }, signal);
      const [video, thumbnail, srt, vtt] = await Promise.all([
        put(key, () => createReadStream(outputPath), 'video/mp4'),
        put(`${base}.jpg`, () => createReadStream(thumbnailPath), 'image/jpeg'),
        ...(settings.captions
          ? [put(`${base}.srt`, () => Buffer.from(toSrt(allCues)), 'application/x-subrip'), put(`${base}.vtt`, () => Buffer.from(toVtt(allCues)), 'text/vtt')]
          : []),
      ]);
      if (live) {
        await live.finish();
        stored.push(...live.keys);
      }
      lap('publishMs');
      progress.complete('Video ready');

      return {
        key,
        url: video!.url,
        durationSeconds: composed.durationSeconds,
        sizeBytes: size,
        width,
        height,
        fps: VIDEO_FPS,
        platform: request.platform,
        language: request.language,
        quality: request.quality,
        scenes: scenes.map((scene, i) => ({
          index: i,
          text: scene.text,
          startSeconds: composed.plan[i]!.startFrame / VIDEO_FPS,
          durationSeconds: composed.plan[i]!.frames / VIDEO_FPS,
          audioSeconds: audio[i]!.seconds,
        })),
        timings,
        thumbnail: thumbnail!,
        ...(srt && vtt ? { captions: { srt, vtt, cues: allCues.length } } : {}),
        ...(stream ? { hls: { key: stream.playlistKey, url: stream.url } } : {}),
        ...(composed.loudness ? { loudness: composed.loudness } : {}),
        artifacts: [...stored],
        ...(cacheStats ? { cache: cacheStats } : {}),
      };
    } catch (error) {
      // No background ffmpeg may still write into the work directory we are about to remove, and
      // nothing half-published stays behind: the live stream and any file already stored.
      await composer?.abandon();
      await live?.discard().catch(() => undefined);
      await Promise.all(stored.map((k) => storage.delete(k).catch(() => undefined)));
      if (signal.aborted) throw toCancelled(signal.reason);
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  return { run, analyze, validate, binaries: getBinaries, tuning, providers: { tts, voices, images, storage }, ...(cache ? { cache } : {}) };
}

/** A listener's bug must not fail the render it observes. */
function safely(call: () => void): void {
  try {
    call();
  } catch {
    /* ignored on purpose */
  }
}

function pad(index: number): string {
  return String(index).padStart(4, '0');
}

