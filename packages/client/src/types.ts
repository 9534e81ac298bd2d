import type { FieldIssue, JobListQuery, JobRecord, JobStatus, JobTemplate, JobTemplateInput, RenderRequest, RenderResult, SubmitOptions } from '@scriptsensei/core';

// Type-only imports: they vanish from the build, so no Node code reaches a browser bundle, and
// the declarations are inlined at build time so installing the client does not install the core.
export type { FieldIssue, JobStatus, JobTemplate, JobTemplateInput, RenderRequest };

/**
 * A finished job's video and the files stored beside it. URLs are absolute (and signed when the
 * server has auth on): a `<video>`, a `<track>`, a player or a download link can use them as is.
 */
export type VideoJobResult = Omit<RenderResult, 'timings' | 'cache' | 'captions' | 'thumbnail' | 'hls' | 'artifacts'> & {
  /** The captions as SubRip, when the request asked for captions. */
  srtUrl?: string;
  /** The captions as WebVTT (for a `<track>`), when the request asked for captions. */
  vttUrl?: string;
  /** How many cues the captions hold. */
  captionCues?: number;
  /** A poster image of the video (JPEG). */
  thumbnailUrl?: string;
  /** The HLS playlist of the finished stream (fMP4 segments). */
  hlsUrl?: string;
};

/** A job as the API shows it: the core `JobRecord` without the engine's internal fields. */
export type VideoJob = Omit<JobRecord, 'result' | 'live' | 'attemptId' | 'runId' | 'notifiedAt' | 'idempotencyKey' | 'webhookUrl'> & {
  result?: VideoJobResult;
  /**
   * The job's HLS playlist: while it renders, the live stream that grows scene by scene (a player
   * can start before the job ends); once done, the finished one.
   */
  hlsUrl?: string;
};

/** The core `SubmitOptions` a caller may send, plus the original API's `voice_provider`. */
export interface VideoJobSubmitOptions extends Omit<SubmitOptions, 'warnings'> {
  /** TTS provider by name (e.g. `espeak`); the server falls back or refuses when it is not configured. */
  voiceProvider?: string;
}

export type VideoJobListQuery = Partial<Pick<JobListQuery, 'userId' | 'status' | 'page' | 'pageSize' | 'order'>> & {
  /** ISO 8601 timestamps. */
  createdAfter?: string;
  createdBefore?: string;
};

export interface VideoJobPage {
  jobs: VideoJob[];
  total: number;
  page: number;
  pageSize: number;
}

export type VideoJobCounts = Record<JobStatus, number> & { total: number };

export interface VideoJobSummary {
  windowHours: number;
  total: number;
  success: number;
  failure: number;
  cancelled: number;
  active: number;
  /** Successes over finished jobs in the window, `null` when none finished. */
  successRate: number | null;
  /** Seconds from start to finish of successful jobs. */
  renderSeconds: { p50: number | null; p95: number | null; count: number };
}

/** One item of `submitBatch`: the same arguments as `submit`. */
export interface VideoJobBatchItem {
  request: RenderRequest;
  options?: VideoJobSubmitOptions;
}
