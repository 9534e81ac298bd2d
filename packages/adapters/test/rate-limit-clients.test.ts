import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../../tools/testing/reference-server.js';
import { startServer as startExpressServer } from '../../../examples/express-server/server.mjs';

/** POSTs a job from a given loopback address (Linux routes all of 127/8 to this host). */
function createFrom(url: string, localAddress: string, userId: string): Promise<number> {
  const body = JSON.stringify({ video_request: { script_content: 'One job a minute.', user_id: userId } });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/jobs/`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject).end(body);
  });
}

interface Running {
  url: string;
  close(): Promise<void>;
}

/** With auth off, anonymous callers are limited per client address: one client's burst must not use up another's budget. */
const servers: Record<string, () => Promise<Running>> = {
  express: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-rate-clients-'));
    const server = await startExpressServer({ port: 0, env: { ...process.env, STORAGE_DIR: dir, JOBS_DB: ':memory:', RATE_LIMIT: '1', LOG_LEVEL: 'silent' } });
    return { url: server.url, close: async () => (await server.close(), rmSync(dir, { recursive: true, force: true })) };
  },
  hono: () => startReferenceServer({ RATE_LIMIT: '1' }),
};

for (const [name, start] of Object.entries(servers)) {
  describe(`${name} reference server: rate limits per anonymous client`, () => {
    let server: Running;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server?.close());

    it('gives each client address its own budget', async () => {
      const user = `rate-${name}-${Date.now()}`;
      expect(await createFrom(server.url, '127.0.0.1', user)).toBe(202);
      expect(await createFrom(server.url, '127.0.0.1', `${user}-renamed`)).toBe(429);
      // Another machine (here another loopback address) still has its budget.
      expect(await createFrom(server.url, '127.0.0.2', user)).toBe(202);
    });
  });
}
