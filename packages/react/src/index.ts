/**
 * `@scriptsensei/react`: a provider, hooks and a status component for ScriptSensei video jobs,
 * on top of `@scriptsensei/client` (whose formatting helpers are re-exported here).
 */
export { VideoJobsProvider, useVideoJobsClient } from './context.js';
export { useVideoJob, type UseVideoJobOptions, type UseVideoJobResult, type VideoJobProblem } from './use-video-job.js';
export { useVideoJobs, type UseVideoJobsResult } from './use-video-jobs.js';
export { useJobStats, type UseJobStatsResult } from './use-job-stats.js';
export { VideoJobStatus, DEFAULT_STATUS_LABELS, type VideoJobStatusProps, type VideoJobStatusLabels } from './video-job-status.js';
export { STATUS_LABELS, formatPercent, formatTimeLeft, formatFileSize } from '@scriptsensei/client';
