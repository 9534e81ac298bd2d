// Reference server: the original ScriptSensei job API on Express, with the embedded defaults.
//   node examples/express-server/server.mjs        (PORT, default 8012; see ../shared/engine.mjs)
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { createJobsRouter } from '@scriptsensei/adapters/express';
import { createEngine } from '../shared/engine.mjs';

/** Starts the server; resolves with its URL and a `close()` that drains jobs first. */
export async function startServer({ port = 8012, env = process.env, logger = pino({ level: env.LOG_LEVEL ?? 'info' }) } = {}) {
  const { jobs, apiOptions } = await createEngine(env);
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
    }),
  );
  app.use('/api/v1', createJobsRouter(jobs, apiOptions));
  const server = await new Promise((resolve) => {
    const s = app.listen(port, () => resolve(s));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  logger.info({ url }, 'ScriptSensei job API listening');
  return {
    url,
    jobs,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await jobs.close({ timeoutMs: 10_000 });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const running = await startServer({ port: Number(process.env.PORT ?? 8012) });
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void running.close().then(() => process.exit(0)));
}
