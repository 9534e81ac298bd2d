/**
 * `@scriptsensei/client`: the job API from any JavaScript runtime with `fetch` (browsers, Node
 * 20+, Deno, Bun). Submit, follow (SSE with resume, polling fallback), cancel, retry, list,
 * stats and templates, in the core engine's camelCase shapes.
 */
export { createVideoJobsClient, type VideoJobsClient, type VideoJobsClientOptions, type VideoJobsBatchResult } from './client.js';
export { CLIENT_DEFAULTS, type ClientSettings } from './defaults.js';
export { VideoJobsError } from './errors.js';
export type { JobListener, JobErrorListener } from './job-watches.js';
export { STATUS_LABELS, formatPercent, formatTimeLeft, formatFileSize } from './format.js';
export { TERMINAL_STATUSES, isTerminal } from './status.js';
export type * from './types.js';
export type { WireJob, WireTemplate } from './wire.js';
