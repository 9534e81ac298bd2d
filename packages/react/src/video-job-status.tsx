import type { CSSProperties } from 'react';
import { formatTimeLeft, STATUS_LABELS, type JobStatus } from '@scriptsensei/client';
import { useVideoJob, type UseVideoJobOptions } from './use-video-job.js';

/** Every text `VideoJobStatus` shows, for translation. */
export interface VideoJobStatusLabels {
  status: Record<JobStatus, string>;
  loading: string;
  /** Accessible name of the progress bar. */
  progress: string;
  timeLeft: (seconds: number) => string;
  cancel: string;
  retry: string;
  download: string;
}

export const DEFAULT_STATUS_LABELS: VideoJobStatusLabels = {
  status: STATUS_LABELS,
  loading: 'Loading…',
  progress: 'Progress',
  timeLeft: (seconds) => `${formatTimeLeft(seconds)} left`,
  cancel: 'Cancel',
  retry: 'Retry',
  download: 'Download',
};

export interface VideoJobStatusProps extends Omit<UseVideoJobOptions, 'jobId'> {
  jobId: string;
  /**
   * Base class name; parts are `<base>__badge`, `__bar`, `__fill`, `__message`, `__eta`,
   * `__error`, `__actions`, `__cancel`, `__retry`, `__video`, `__download`, and the root also gets
   * `<base>--<status>`. The root sets `--ss-job-progress` (e.g. `42%`) for bar styles.
   * @defaultValue 'ss-job'
   */
  className?: string;
  labels?: Partial<VideoJobStatusLabels>;
}

/**
 * A job's status: badge, progress bar, stage message, time left, cancel while active, retry after
 * a failure, and the video with a download link when done. Unstyled: theme it with class names
 * and CSS variables.
 */
export function VideoJobStatus({ jobId, className: c = 'ss-job', labels, ...callbacks }: VideoJobStatusProps) {
  const v = useVideoJob({ jobId, ...callbacks });
  const l = { ...DEFAULT_STATUS_LABELS, ...labels };
  const part = (name: string) => `${c}__${name}`;
  const { status, error, result } = v;
  const percent = Math.round(v.progress * 100);
  const alert = error && status !== 'cancelled' && (
    <p role="alert" className={part('error')}>
      {error.message}
    </p>
  );
  if (!status) {
    return (
      <div className={c} data-status={error ? 'error' : 'loading'}>
        {alert || l.loading}
      </div>
    );
  }
  return (
    <div className={`${c} ${c}--${status}`} data-status={status} style={{ '--ss-job-progress': `${percent}%` } as CSSProperties}>
      <span className={part('badge')}>{l.status[status]}</span>
      <div role="progressbar" aria-label={l.progress} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className={part('bar')}>
        <div className={part('fill')} style={{ width: `${percent}%` }} />
      </div>
      <p className={part('message')} aria-live="polite">
        {v.message}
      </p>
      {v.isActive && v.etaSeconds !== undefined && <p className={part('eta')}>{l.timeLeft(v.etaSeconds)}</p>}
      {alert}
      <div className={part('actions')}>
        {v.isActive ? (
          <button type="button" className={part('cancel')} onClick={v.cancel}>
            {l.cancel}
          </button>
        ) : (
          status !== 'success' && (
            <button type="button" className={part('retry')} onClick={v.retry}>
              {l.retry}
            </button>
          )
        )}
      </div>
      {result && (
        <>
          <video className={part('video')} controls preload="metadata" src={result.url} />
          <a className={part('download')} href={result.url} download>
            {l.download}
          </a>
        </>
      )}
    </div>
  );
}
