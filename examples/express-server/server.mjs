// Reference server: the original ScriptSensei job API on Express, with the embedded defaults.
//   node examples/express-server/server.mjs        (PORT, default 8012; see ../shared/engine.mjs)
import { randomUUID } from 'node:crypto';
import express from 'express';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { createJobsRouter, createServiceRouter } from '@scriptsensei/adapters/express';
import { redact } from '@scriptsensei/adapters/vendor';
import { createEngine, envInteger, metricsHandler } from '../shared/engine.mjs';
import { running, runIfMain } from '../shared/serve.mjs';

/** Starts the server; resolves with its URL and a `close()` that drains jobs first. */
export async function startServer({ port = 8012, env = process.env, logger = pino({ level: env.LOG_LEVEL ?? 'info' }) } = {}) {
  const { jobs, apiOptions, queueKind, queue, templates } = await createEngine(env);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = req.headers['x-request-id'] ?? randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // No headers in the log: requests carry bearer tokens, and file answers redirect to
      // presigned storage URLs, each a working link to a user's video. Signed query values in
      // the URL are redacted too.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: redact(req.url ?? '', []) }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use('/api/v1', createJobsRouter(jobs, apiOptions));
  // GET /health and Swagger UI at /docs, as the original served them.
  app.use(createServiceRouter(jobs, { apiBasePath: '/api/v1' }));
  const metrics = await metricsHandler(jobs, env);
  app.get('/metrics', (req, res, next) => void metrics.node(req, res).catch(next));
  if (queueKind === 'bullmq') {
    // Bull Board over the render queue (what Flower was for the original's Celery), behind the API's auth.
    const { createQueueDashboard } = await import('@scriptsensei/adapters/bull-board');
    app.use('/admin/queues', createQueueDashboard(queue.bull, { basePath: '/admin/queues', auth: apiOptions.auth }));
  }
  const server = await new Promise((resolve) => {
    const s = app.listen(port, () => resolve(s));
  });
  const handle = running(server, jobs, envInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000), [templates]);
  logger.info({ url: handle.url }, 'ScriptSensei job API listening');
  return handle;
}

await runIfMain(import.meta.url, startServer, Number(process.env.PORT ?? 8012));
