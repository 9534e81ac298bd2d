import { useCallback, useRef, useState, useSyncExternalStore } from 'react';
import { isTerminal, type JobStatus, type VideoJobsError, type RenderRequest, type VideoJob, type VideoJobResult, type VideoJobSubmitOptions } from '@scriptsensei/client';
import { useVideoJobsClient } from './context.js';

/** Why a job or a call about it failed: the job's own error, or the API's. */
export interface VideoJobProblem {
  code: string;
  message: string;
  retryable: boolean;
}

export interface UseVideoJobOptions {
  /** An existing job to follow (e.g. from the URL, so a page reload resumes). */
  jobId?: string;
  /** Each change while the job is queued, rendering or waiting to retry. */
  onProgress?: (job: VideoJob) => void;
  onSuccess?: (result: VideoJobResult, job: VideoJob) => void;
  /** The job failed, or a call (create, cancel, retry) was refused. */
  onError?: (error: VideoJobProblem, job?: VideoJob) => void;
  onCancel?: (job: VideoJob) => void;
}

export interface UseVideoJobResult {
  job: VideoJob | undefined;
  jobId: string | undefined;
  status: JobStatus | undefined;
  /** 0..1 */
  progress: number;
  stage: VideoJob['stage'] | undefined;
  message: string | undefined;
  etaSeconds: number | undefined;
  result: VideoJobResult | undefined;
  error: VideoJobProblem | undefined;
  /** Queued, rendering or waiting to retry. */
  isActive: boolean;
  /** Submits a job and follows it. Resolves with the job, or `undefined` when refused (see `error`). */
  create(request: RenderRequest, options?: VideoJobSubmitOptions): Promise<VideoJob | undefined>;
  cancel(): Promise<void>;
  retry(): Promise<void>;
  /** Forgets the created job and any error (back to `jobId` from the options, if given). */
  reset(): void;
}

const noSubscription = () => {};

/**
 * One job's live state. The state lives in the client (shared by every component that shows the
 * job, one connection per job); this hook reads it with `useSyncExternalStore`, so server
 * rendering makes no request and StrictMode's double mount keeps a single connection.
 */
export function useVideoJob(options: UseVideoJobOptions = {}): UseVideoJobResult {
  const client = useVideoJobsClient();
  const [created, setCreated] = useState<string>();
  const [problem, setProblem] = useState<VideoJobProblem>();
  const jobId = created ?? options.jobId;
  const callbacks = useRef(options);
  callbacks.current = options;

  // One subscription feeds both the state and the callbacks. Callbacks fire once per state
  // change however often React subscribes: the last state seen survives StrictMode's remount in
  // this ref, so the current state replayed on resubscribing is recognised and skipped.
  const seen = useRef('');
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!jobId) return noSubscription;
      return client.subscribe(
        jobId,
        (next) => {
          const key = `${next.id}|${next.updatedAt}|${next.status}|${next.progress}`;
          if (seen.current !== key) {
            seen.current = key;
            const on = callbacks.current;
            if (next.status === 'success') on.onSuccess?.(next.result!, next);
            else if (next.status === 'failure') on.onError?.(next.error!, next);
            else if (next.status === 'cancelled') on.onCancel?.(next);
            else on.onProgress?.(next);
          }
          notify();
        },
        (error) => {
          setProblem(error);
          callbacks.current.onError?.(error);
        },
      );
    },
    [client, jobId],
  );
  const job = useSyncExternalStore(subscribe, () => (jobId ? client.peek(jobId) : undefined), () => undefined);

  // The client rejects with `VideoJobsError` only (network failures included).
  const fail = useCallback((error: VideoJobsError) => {
    setProblem(error);
    callbacks.current.onError?.(error);
  }, []);

  const create = useCallback(
    async (request: RenderRequest, submitOptions?: VideoJobSubmitOptions) => {
      setProblem(undefined);
      try {
        const next = await client.submit(request, submitOptions);
        setCreated(next.id);
        return next;
      } catch (error) {
        fail(error as VideoJobsError);
        return undefined;
      }
    },
    [client, fail],
  );
  const act = (action: 'cancel' | 'retry') => async () => {
    if (!jobId) return;
    setProblem(undefined);
    await client[action](jobId).then(() => undefined, fail);
  };

  return {
    job,
    jobId,
    status: job?.status,
    progress: job?.progress ?? 0,
    stage: job?.stage,
    message: job?.message,
    etaSeconds: job?.etaSeconds,
    result: job?.result,
    error: problem ?? job?.error,
    isActive: !!job && !isTerminal(job.status),
    create,
    cancel: act('cancel'),
    retry: act('retry'),
    reset() {
      setCreated(undefined);
      setProblem(undefined);
    },
  };
}
