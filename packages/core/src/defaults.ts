import { availableParallelism } from 'node:os';

/**
 * Every tunable default of the pipeline, in one place. Options passed to `createPipeline`
 * are merged over these (`{ ...PIPELINE_DEFAULTS, ...options }`).
 */
export interface PipelineTuning {
  /**
   * Longest script accepted, in characters. About 20 minutes of narration; longer scripts are
   * rejected with a `ValidationError` on `script` before any work starts.
   * @defaultValue 20000
   */
  maxScriptCharacters: number;
  /**
   * Longest scene, in characters. Sentences are packed into scenes up to this size; longer
   * sentences are split at clause boundaries, then at word boundaries.
   * @defaultValue 220
   */
  maxSceneCharacters: number;
  /**
   * How many scenes are narrated, illustrated or encoded at once.
   * @defaultValue the number of CPUs (`os.availableParallelism()`)
   */
  concurrency: number;
  /**
   * x264 preset. Still scenes are encoded once per GOP, so a slower preset costs little.
   * @defaultValue 'veryfast'
   */
  x264Preset: string;
  /**
   * x264 constant rate factor (lower is better quality, larger files).
   * @defaultValue 20
   */
  crf: number;
  /**
   * Length in seconds of the encoded still GOP that is repeated (by stream copy) to fill a
   * scene. Also the keyframe interval, so it bounds how far a player seeks to find a keyframe.
   * @defaultValue 2
   */
  gopSeconds: number;
  /**
   * AAC audio bitrate.
   * @defaultValue '128k'
   */
  audioBitrate: string;
  /**
   * Parent directory for per-render temporary directories.
   * @defaultValue `os.tmpdir()`
   */
  tempDir: string | undefined;
  /**
   * Storage key prefix for rendered videos, used when a request has no `outputKey`.
   * @defaultValue 'videos/'
   */
  keyPrefix: string;
  /**
   * How long `validate` (a job's submission) waits for the TTS provider to check the request's
   * language and voice, which a cloud voice may do by fetching its voice list. When the vendor
   * does not answer in time the request is accepted and the render checks it: an outage must not
   * hold every submission for the vendor's whole retry budget.
   * @defaultValue 10000
   */
  voiceCheckMs: number;
}

/**
 * `defaults` with each setting the caller gave (not `undefined`) laid over it. Keys of `options`
 * that are not settings (providers, backends) stay out.
 */
export function withDefaults<T extends object>(defaults: T, options: Partial<T>): T {
  const merged = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    if (options[key] !== undefined) merged[key] = options[key] as T[keyof T];
  }
  return merged;
}

export const PIPELINE_DEFAULTS: PipelineTuning = {
  maxScriptCharacters: 20_000,
  maxSceneCharacters: 220,
  concurrency: availableParallelism(),
  x264Preset: 'veryfast',
  crf: 20,
  gopSeconds: 2,
  audioBitrate: '128k',
  tempDir: undefined,
  keyPrefix: 'videos/',
  voiceCheckMs: 10_000,
};

/** Defaults of a render request's optional fields. */
export const REQUEST_DEFAULTS = {
  /** @defaultValue 'en-US' */
  language: 'en-US',
  /** @defaultValue 'youtube' (1920x1080) */
  platform: 'youtube',
  /** @defaultValue 'standard' */
  quality: 'standard',
} as const;

/** Defaults of `captions` options. Sizes are relative to the video so every platform looks alike. */
export const CAPTION_DEFAULTS = {
  /** @defaultValue true */
  burnIn: true,
  /** Longest line, in characters, by the video's shape. @defaultValue 42 landscape, 32 square, 24 portrait */
  maxCharsPerLine: { landscape: 42, square: 32, portrait: 24 },
  /** @defaultValue 2 */
  maxLines: 2,
  /** Platforms whose captions highlight the spoken word by default (short-form, watched muted). */
  wordHighlightPlatforms: ['tiktok', 'shorts', 'reels'] as readonly string[],
  style: {
    /** @defaultValue 'DejaVu Sans' (scripts it lacks fall back to the bundled Noto fonts) */
    font: 'DejaVu Sans',
    /** Text height, % of the shorter side. @defaultValue 5.5 */
    size: 5.5,
    /** @defaultValue '#ffffff' */
    color: '#ffffff',
    /** @defaultValue '#ffd60a' */
    highlightColor: '#ffd60a',
    /** @defaultValue '#000000' */
    outlineColor: '#000000',
    /** Outline width in pixels at 1080p. @defaultValue 3 */
    outline: 3,
    /** @defaultValue false */
    background: false,
    /** @defaultValue 'bottom' */
    position: 'bottom',
  },
} as const;

/** Defaults of `motion` options. */
export const MOTION_DEFAULTS = {
  /** @defaultValue 'auto' */
  kenBurnsDirection: 'auto',
  /** Zoom or pan over a scene, as a fraction of the picture. @defaultValue 0.08 */
  kenBurnsAmount: 0.08,
  /** @defaultValue 0.5 */
  transitionSeconds: 0.5,
} as const;

/** Defaults of `music` options. */
export const MUSIC_DEFAULTS = {
  /** Level where nobody speaks, relative to the narration, in dB. @defaultValue -12 */
  volumeDb: -12,
  /** Extra attenuation while the voice speaks, in dB. @defaultValue 12 */
  duckDb: 12,
  /** Fade-out at the end of the video, seconds. @defaultValue 2 */
  fadeOutSeconds: 2,
} as const;

/** Loudness of every rendered mix, as web platforms normalise it. */
export const LOUDNESS_DEFAULTS = {
  /** Integrated loudness, LUFS. @defaultValue -16 */
  targetLufs: -16,
  /** True-peak ceiling, dBTP. @defaultValue -1 */
  truePeakDb: -1,
} as const;

/** How `quality: 'preview'` renders: small and fast, for drafts. */
export const PREVIEW_DEFAULTS = {
  /** Height of a landscape preview (the shorter side of any shape). @defaultValue 360 */
  shortSide: 360,
  /** @defaultValue 'ultrafast' */
  x264Preset: 'ultrafast',
  /** @defaultValue 28 */
  crf: 28,
  /** @defaultValue '64k' */
  audioBitrate: '64k',
} as const;

/**
 * Every tunable default of the job engine (producer and worker), in one place. Options passed
 * to `createVideoJobs`, `createJobProducer` and `createJobWorker` are merged over these.
 */
export interface JobEngineTuning {
  /**
   * How long finished jobs (and their videos in storage) are kept.
   * @defaultValue 86400000 (24 h)
   */
  retentionMs: number;
  /**
   * How often a worker sweeps expired jobs, orphaned videos and cached artifacts.
   * @defaultValue a quarter of `retentionMs`, between 1 s and 60 s
   */
  sweepIntervalMs: number | undefined;
  /**
   * Least time between two progress writes of one job to the store.
   * @defaultValue 250
   */
  progressWriteIntervalMs: number;
  /**
   * Least time between two published progress events of one job (stage changes always go out).
   * @defaultValue 100
   */
  progressEventIntervalMs: number;
  /**
   * How often a running attempt confirms it still holds its job when no progress was written;
   * an attempt that lost its job (cancelled elsewhere, taken over) stops within this time.
   * @defaultValue 1000
   */
  heartbeatMs: number;
  /**
   * A `pending` or `retrying` job untouched this long, with a durable queue, is enqueued again
   * by the sweep (its entry was lost, e.g. the process died between saving and enqueuing).
   * @defaultValue 60000
   */
  reconcileAfterMs: number;
}

export const JOB_ENGINE_DEFAULTS: JobEngineTuning = {
  retentionMs: 86_400_000,
  sweepIntervalMs: undefined,
  progressWriteIntervalMs: 250,
  progressEventIntervalMs: 100,
  heartbeatMs: 1000,
  reconcileAfterMs: 60_000,
};

/** Limits of saved job templates, enforced by every `TemplateStore`. */
export const TEMPLATE_DEFAULTS = {
  /**
   * Templates one user may keep.
   * @defaultValue 100
   */
  maxPerUser: 100,
} as const;
