import { useCallback } from 'react';
import type { JobStatus, RenderRequest, VideoJob, VideoJobResult, VideoJobSubmitOptions } from '@scriptsensei/client';
import { useVideoJob } from '../use-video-job.js';

/** The original service's create-job body. */
export interface AsyncJobCreateRequest {
  video_request: {
    script_content: string;
    script_id?: string;
    user_id?: string;
    title?: string;
    language?: string;
    platform?: string;
    duration?: number;
    voice_provider?: string;
    voice?: string;
    style?: string;
  };
  priority?: number;
}

/** The original service's job result. */
export interface AsyncJobResult {
  video_url: string;
  video_path: string;
  duration: number;
  size_bytes: number;
  width: number;
  height: number;
  platform: string;
  language: string;
}

export interface UseAsyncJobOptions {
  /** A job to resume following. */
  jobId?: string;
  /**
   * Kept for the original's signature: updates stream over SSE, and the client's
   * `pollIntervalMs` sets the polling used where SSE is unavailable.
   */
  pollInterval?: number;
  onSuccess?: (result: AsyncJobResult) => void;
  onError?: (error: string) => void;
  /** Progress 0..1 and the stage message. */
  onProgress?: (progress: number, message: string) => void;
}

const toAsyncResult = (r: VideoJobResult): AsyncJobResult => ({
  video_url: r.url,
  video_path: r.key,
  duration: r.durationSeconds,
  size_bytes: r.sizeBytes,
  width: r.width,
  height: r.height,
  platform: r.platform,
  language: r.language,
});

/**
 * The original front end's `useAsyncJob`, on top of `useVideoJob`: same arguments, same
 * snake_case shapes (`createVideoJob({ video_request, priority })`, `result.video_path`), so code
 * written for the original runs unchanged.
 */
export function useAsyncJob(options: UseAsyncJobOptions = {}) {
  const v = useVideoJob({
    jobId: options.jobId,
    onSuccess: (result) => options.onSuccess?.(toAsyncResult(result)),
    onError: (error) => options.onError?.(error.message),
    onProgress: (job: VideoJob) => options.onProgress?.(job.progress, job.message),
  });
  const { create } = v;
  const createVideoJob = useCallback(
    async ({ video_request: r, priority }: AsyncJobCreateRequest) => {
      const request: RenderRequest = { script: r.script_content, title: r.title, language: r.language, platform: r.platform as RenderRequest['platform'], voice: r.voice, style: r.style, targetDurationSeconds: r.duration };
      const submit: VideoJobSubmitOptions = { priority, userId: r.user_id, voiceProvider: r.voice_provider, metadata: r.script_id === undefined ? undefined : { script_id: r.script_id } };
      return (await create(request, submit))?.id;
    },
    [create],
  );
  return {
    createVideoJob,
    cancelJob: v.cancel,
    retryJob: v.retry,
    reset: v.reset,
    jobId: v.jobId ?? null,
    status: (v.status ?? null) as JobStatus | null,
    progress: v.progress,
    message: v.message ?? null,
    result: v.result ? toAsyncResult(v.result) : null,
    error: v.error?.message ?? null,
    isLoading: v.isActive,
  };
}
