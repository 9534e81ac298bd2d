import { getRequestListener } from '@hono/node-server';
import type { VideoJobs } from '@scriptsensei/core';
import { createJobsApi, type JobsApi, type JobsApiOptions } from './jobs-api.js';

/** What `createJobsRouter` returns: an Express-compatible middleware, plus the API behind it. */
export type JobsRouter = ((req: unknown, res: unknown, next?: unknown) => void) & { api: JobsApi };

/**
 * The job API as Express middleware: `app.use('/api/v1', createJobsRouter(jobs, options))`.
 * Express strips the mount path from `req.url`, and the API routes relative paths. Works with
 * any framework that accepts Node `(req, res)` handlers (Connect, plain `http.createServer`).
 */
export function createJobsRouter(jobs: VideoJobs, options: JobsApiOptions = {}): JobsRouter {
  const api = createJobsApi(jobs, options);
  const listener = getRequestListener(api.fetch);
  const router = (req: unknown, res: unknown) => void listener(req as never, res as never);
  return Object.assign(router, { api });
}

export { createServiceRouter } from './service-routes.js';
