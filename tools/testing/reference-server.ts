import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoJobs } from '@scriptsensei/core';
// The reference server users run (`pnpm serve:hono`): the client is tested against the real thing.
import { startServer } from '../../examples/hono-server/server.mjs';
import { startServer as startExpressServer } from '../../examples/express-server/server.mjs';

export interface ReferenceServer {
  /** Origin, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Where the job API is mounted: the client's `baseUrl`. */
  api: string;
  jobs: VideoJobs;
  close(): Promise<void>;
}

/** The Hono reference server on a free port, jobs in memory, videos in a temp dir of its own. */
export function startReferenceServer(env: Record<string, string> = {}): Promise<ReferenceServer> {
  return startInTempDir(startServer, env);
}

/** The Express reference server (`pnpm serve`), set up the same way. */
export function startExpressReferenceServer(env: Record<string, string> = {}): Promise<ReferenceServer> {
  return startInTempDir(startExpressServer, env);
}

type StartServer = (options: { port: number; env: NodeJS.ProcessEnv }) => Promise<{ url: string; jobs: VideoJobs; close(): Promise<void> }>;

async function startInTempDir(start: StartServer, env: Record<string, string>): Promise<ReferenceServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ss-client-test-'));
  const server = await start({
    port: 0,
    env: { ...process.env, STORAGE_DIR: dir, JOBS_DB: ':memory:', RATE_LIMIT: '0', CORS_ORIGINS: '*', LOG_LEVEL: 'silent', ...env },
  });
  return {
    url: server.url,
    api: `${server.url}/api/v1`,
    jobs: server.jobs,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A real HTTP proxy in front of `target` that can misbehave the way networks and deployments do:
 * `route` decides per request to answer 404 (an API behind a gateway without SSE), to cut the
 * connection after the first chunk of the answer, or to pass it through.
 */
export async function startProxy(target: string, route: (req: IncomingMessage, nth: number) => 'pass' | 'not-found' | 'cut-after-first-chunk') {
  const seen = new Map<string, number>();
  const requests: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const server: Server = createServer((req, res) => {
    const key = `${req.method} ${req.url?.split('?')[0]}`;
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    const decision = route(req, nth);
    if (decision === 'not-found') {
      res.writeHead(404, { 'content-type': 'text/html', 'access-control-allow-origin': '*' }).end('<h1>Not Found</h1>');
      return;
    }
    const upstream = httpRequest(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      if (decision === 'cut-after-first-chunk') {
        answer.once('data', (chunk) => {
          answer.destroy();
          // Drop the connection once the chunk has reached the socket, without ending the response.
          res.write(chunk, () => res.destroy());
        });
      } else answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A script of `paragraphs` scenes: more scenes, a longer render. */
export const script = (paragraphs: number, tag = 'Test') =>
  Array.from({ length: paragraphs }, (_, i) => `${tag} paragraph ${i + 1} says a few words about the topic.`).join('\n\n');
