import type { JobStatus } from './types.js';

/** English labels for job states; pass your own to the components for other languages. */
export const STATUS_LABELS: Readonly<Record<JobStatus, string>> = {
  pending: 'Queued',
  processing: 'Rendering',
  retrying: 'Retrying',
  success: 'Ready',
  failure: 'Failed',
  cancelled: 'Cancelled',
};

/** Progress 0..1 as a whole percentage: `0.426` → `"43%"`. */
export const formatPercent = (progress: number): string => `${Math.round(Math.min(1, Math.max(0, progress || 0)) * 100)}%`;

/** Seconds left as a short phrase: `8` → `"8 s"`, `75` → `"1 min 15 s"`, `3900` → `"1 h 5 min"`. */
export function formatTimeLeft(seconds: number | null | undefined): string {
  if (seconds == null || !(seconds >= 0)) return '';
  const s = Math.round(seconds);
  const [big, small, a, b] = s < 3600 ? [Math.floor(s / 60), s % 60, 'min', 's'] : [Math.floor(s / 3600), Math.round((s % 3600) / 60), 'h', 'min'];
  return s < 1 ? '< 1 s' : s < 60 ? `${s} s` : `${big} ${a}${small ? ` ${small} ${b}` : ''}`;
}

/** Bytes in binary units: `1536` → `"1.5 KB"`, `5_000_000` → `"4.8 MB"`. */
export function formatFileSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes || 0);
  let unit = 0;
  while (value >= 1024 && units[unit + 1]) {
    value /= 1024;
    unit += 1;
  }
  return `${unit ? value.toFixed(value < 10 ? 1 : 0) : value} ${units[unit]}`;
}
