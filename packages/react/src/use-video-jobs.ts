import { useCallback, useSyncExternalStore } from 'react';
import type { VideoJob, VideoJobListQuery, VideoJobsError } from '@scriptsensei/client';
import { useVideoJobsClient } from './context.js';
import { useLoad } from './use-load.js';

export interface UseVideoJobsResult {
  /** The page's jobs, each in its newest known state (active ones update live). */
  jobs: VideoJob[];
  total: number;
  page: number;
  pageSize: number;
  isLoading: boolean;
  error: VideoJobsError | undefined;
  refresh(): Promise<void>;
}

/** A page of job history, filtered, with live status for the jobs on it that are still active. */
export function useVideoJobs(query: VideoJobListQuery = {}): UseVideoJobsResult {
  const client = useVideoJobsClient();
  const { data, error, isLoading, refresh } = useLoad(() => client.list(query), JSON.stringify(query));
  const jobs = data?.jobs ?? [];
  const ids = jobs.map((job) => job.id).join(' ');
  // Every job on the page is watched: finished ones cost nothing (no connection), and one that a
  // retry makes active again is followed from then on.
  const subscribe = useCallback(
    (notify: () => void) => {
      const stops = ids ? ids.split(' ').map((id) => client.subscribe(id, notify)) : [];
      return () => stops.forEach((stop) => stop());
    },
    [client, ids],
  );
  useSyncExternalStore(
    subscribe,
    () => jobs.map((job) => client.peek(job.id)?.updatedAt).join(),
    () => '',
  );
  return {
    jobs: jobs.map((job) => client.peek(job.id) ?? job),
    total: data?.total ?? 0,
    page: data?.page ?? query.page ?? 1,
    pageSize: data?.pageSize ?? query.pageSize ?? 0,
    isLoading,
    error,
    refresh,
  };
}
