import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExpressReferenceServer, startReferenceServer, type ReferenceServer } from '../../../tools/testing/reference-server.js';

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

/** With auth off, anonymous callers are limited per client address: one client's burst must not use up another's budget. */
const servers: Record<string, () => Promise<ReferenceServer>> = {
  express: () => startExpressReferenceServer({ RATE_LIMIT: '1' }),
  hono: () => startReferenceServer({ RATE_LIMIT: '1' }),
};

for (const [name, start] of Object.entries(servers)) {
  describe(`${name} reference server: rate limits per anonymous client`, () => {
    let server: ReferenceServer;
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
