import { getRequestListener } from '@hono/node-server';
import type { VideoJobs } from '@scriptsensei/core';
import { Hono } from 'hono';
import { apiDocsHandler } from './api-docs.js';
import { healthRoute } from './health.js';
import { answerErrorsAsJson } from './http-errors.js';

export interface ServiceRoutesOptions {
  /** Where the job API is mounted, for the reference to load its OpenAPI document. @defaultValue '/api/v1' */
  apiBasePath?: string;
  /** Serve the interactive reference (Swagger UI) at `/docs`. @defaultValue true */
  docs?: boolean;
}

/** What `createServiceRoutes` returns: a fetch handler, its Hono app, and the paths it answers. */
export interface ServiceRoutes {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
  /** For `app.route('/', routes.app)` in a Hono server. */
  app: Hono;
  /** Whether a request path is one of these routes (`/health`, `/docs…`). */
  handles(path: string): boolean;
}

/**
 * The routes the original service had at the root, beside the job API: `GET /health` (the same
 * report as `/jobs/health`, for load balancers and `docker compose`) and `GET /docs`, Swagger UI
 * over the API's OpenAPI document, served from the `swagger-ui-dist` package. Both are public.
 */
export function createServiceRoutes(jobs: VideoJobs, options: ServiceRoutesOptions = {}): ServiceRoutes {
  const basePath = (options.apiBasePath ?? '/api/v1').replace(/\/+$/, '');
  const docs = options.docs === false ? undefined : apiDocsHandler(`${basePath}/openapi.json`);
  const app = new Hono({ strict: false });
  answerErrorsAsJson(app);
  app.get('/health', healthRoute(jobs));
  if (docs) app.get('/docs/*', async (c, next) => (await docs(c.req.path)) ?? next());
  if (docs) app.get('/docs', async (c, next) => (await docs(c.req.path)) ?? next());
  const handles = (path: string) => path === '/health' || (docs !== undefined && (path === '/docs' || path.startsWith('/docs/')));
  return { fetch: (request, env) => app.fetch(request, env), app: app as unknown as Hono, handles };
}

/**
 * The service routes as Express (or Connect) middleware: `app.use(createServiceRouter(jobs))`.
 * Other paths go on to the next handler.
 */
export function createServiceRouter(jobs: VideoJobs, options: ServiceRoutesOptions = {}) {
  const routes = createServiceRoutes(jobs, options);
  const listener = getRequestListener(routes.fetch);
  return Object.assign(
    (req: { url?: string }, res: unknown, next: () => void) => {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      if (routes.handles(path)) void listener(req as never, res as never);
      else next();
    },
    { routes },
  );
}
