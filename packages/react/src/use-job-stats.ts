import type { VideoJobCounts, VideoJobsError, VideoJobSummary } from '@scriptsensei/client';
import { useVideoJobsClient } from './context.js';
import { useLoad } from './use-load.js';

export interface UseJobStatsResult {
  counts: VideoJobCounts | undefined;
  summary: VideoJobSummary | undefined;
  isLoading: boolean;
  error: VideoJobsError | undefined;
  refresh(): Promise<void>;
}

/** Job counts by status and the summary (success rate, render time p50/p95) of the last `windowHours`. */
export function useJobStats(options: { windowHours?: number; refreshIntervalMs?: number } = {}): UseJobStatsResult {
  const client = useVideoJobsClient();
  const { data, error, isLoading, refresh } = useLoad(
    async () => {
      const [counts, summary] = await Promise.all([client.counts(), client.summary({ windowHours: options.windowHours })]);
      return { counts, summary };
    },
    String(options.windowHours),
    options.refreshIntervalMs,
  );
  return { counts: data?.counts, summary: data?.summary, isLoading, error, refresh };
}
