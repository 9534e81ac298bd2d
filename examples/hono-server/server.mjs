// The same job API mounted in Hono: the API is a web-standard handler, so this is a few lines.
//   node examples/hono-server/server.mjs           (PORT, default 8013)
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createJobsApi } from '@scriptsensei/adapters/http';
import { createEngine } from '../shared/engine.mjs';

export async function startServer({ port = 8013, env = process.env } = {}) {
  const { jobs, apiOptions } = await createEngine(env);
  // strict: false, so the original paths with a trailing slash (`/api/v1/jobs/`) match too.
  const app = new Hono({ strict: false });
  app.route('/api/v1', createJobsApi(jobs, apiOptions).app);
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    jobs,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await jobs.close({ timeoutMs: 10_000 });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const running = await startServer({ port: Number(process.env.PORT ?? 8013) });
  console.log(`ScriptSensei job API (Hono) on ${running.url}/api/v1`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void running.close().then(() => process.exit(0)));
}
