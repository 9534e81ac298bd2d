export { createJobsApi, type JobsApi, type JobsApiOptions } from './jobs-api.js';
export { createJobsRouter, type JobsRouter } from './express-router.js';
export { parseApiKeys, type AuthOptions } from './auth.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { WebhookOptions } from './webhooks.js';
export { toWire, type WireJob } from './wire-format.js';
export { openApiDocument } from './openapi.js';
export { createVideoLinks, type VideoLinkOptions } from './video-links.js';
export { templateToWire } from './templates-api.js';
