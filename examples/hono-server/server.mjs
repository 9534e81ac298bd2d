// The same job API mounted in Hono: the API is a web-standard handler, so this is a few lines.
//   node examples/hono-server/server.mjs           (PORT, default 8013)
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createJobsApi, createServiceRoutes } from '@scriptsensei/adapters/http';
import { createEngine, envInteger, metricsHandler } from '../shared/engine.mjs';
import { running, runIfMain } from '../shared/serve.mjs';

export async function startServer({ port = 8013, env = process.env } = {}) {
  const { jobs, apiOptions, templates } = await createEngine(env);
  // strict: false, so the original paths with a trailing slash (`/api/v1/jobs/`) match too.
  const app = new Hono({ strict: false });
  app.route('/api/v1', createJobsApi(jobs, apiOptions).app);
  // GET /health and Swagger UI at /docs, as the original served them.
  app.route('/', createServiceRoutes(jobs, { apiBasePath: '/api/v1' }).app);
  const metrics = await metricsHandler(jobs, env);
  app.get('/metrics', (c) => metrics.fetch(c.req.raw));
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return running(server, jobs, envInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000), [templates]);
}

const main = await runIfMain(import.meta.url, startServer, Number(process.env.PORT ?? 8013));
if (main) console.log(`ScriptSensei job API (Hono) on ${main.url}/api/v1`);
