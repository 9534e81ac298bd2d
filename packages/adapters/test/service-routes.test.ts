import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../../../tools/testing/browser.js';
import { startExpressReferenceServer, startReferenceServer, type ReferenceServer } from '../../../tools/testing/reference-server.js';
// The Express reference server (`pnpm serve`), as users run it.
import { startServer as startExpressServer } from '../../../examples/express-server/server.mjs';

/** The status of a GET of `path` exactly as written (no URL normalisation on the way). */
function rawStatus(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { path }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    })
      .on('error', reject)
      .end();
  });
}

/** Both reference servers, with auth on: /health and /docs must stay public. */
const servers: Record<string, () => Promise<ReferenceServer>> = {
  hono: () => startReferenceServer({ API_KEYS: 'routes-key:routes-user' }),
  express: () => startExpressReferenceServer({ API_KEYS: 'routes-key:routes-user' }),
};

for (const [name, start] of Object.entries(servers)) {
  describe(`${name} reference server: the root routes the original had`, () => {
    let server: ReferenceServer;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server?.close());

    it('GET /health answers the health report without a token; ?probe=liveness skips the checks', async () => {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      const report = await health.json();
      expect(report).toMatchObject({ status: 'healthy', checks: { store: { ok: true }, ffmpeg: { ok: true } } });
      expect(await (await fetch(`${server.url}/health?probe=liveness`)).json()).toEqual({ status: 'healthy', checks: {}, workers: [] });
      const bad = await fetch(`${server.url}/health?probe=maybe`);
      expect(bad.status).toBe(422);
      expect((await bad.json()).error.fields).toEqual([{ field: 'query.probe', message: expect.any(String) }]);
      // The API behind it still wants the token.
      expect((await fetch(`${server.url}/api/v1/jobs/`)).status).toBe(401);
    });

    it('GET /docs serves Swagger UI from this server: the page, its files and the document, nothing from elsewhere', async () => {
      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(assets.every((a) => a.startsWith('/docs/'))).toBe(true);
      for (const asset of assets) expect((await fetch(`${server.url}${asset}`)).status, asset).toBe(200);
      const init = await (await fetch(`${server.url}/docs/init.js`)).text();
      expect(init).toContain('"/api/v1/openapi.json"');
      expect(init).not.toMatch(/https?:\/\//);
      // Raw paths (fetch would resolve the dots before sending): only the listed files are served.
      for (const path of ['/docs/..%2Fpackage.json', '/docs/%2e%2e/package.json', '/docs/../package.json', '/docs/swagger-ui.js.map', '/docs/index.html']) {
        expect(await rawStatus(server.url, path), path).toBe(404);
      }
    });
  });
}

describe.runIf(browserAvailable('API reference page'))('the API reference in a browser', () => {
  it('renders every operation of the job API offline, and lists them by operation id', { timeout: 60_000 }, async () => {
    const server = await startReferenceServer();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) elsewhere.push(request.url());
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // A script or style the page's Content-Security-Policy blocks is only a console error.
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`${server.url}/docs`);
      await page.locator('.opblock').first().waitFor();
      const ids = await page.locator('.opblock-summary-operation-id').allTextContents();
      expect(ids).toEqual(expect.arrayContaining(['createJob', 'getJob', 'cancelJob', 'listJobs', 'streamJobEvents', 'getJobVideo', 'jobsHealth']));
      expect(await page.locator('.opblock').count()).toBe(ids.length);
      expect(await page.locator('.info .title').textContent()).toContain('ScriptSensei job API');
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('a reference server started with no STORAGE_DIR', () => {
  it("keeps jobs and videos in the default directory (SCRIPTSENSEI_STORAGE_DIR here), not the current one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-default-dir-'));
    const env: NodeJS.ProcessEnv = { ...process.env, SCRIPTSENSEI_STORAGE_DIR: dir, RATE_LIMIT: '0', LOG_LEVEL: 'silent' };
    delete env.STORAGE_DIR;
    delete env.JOBS_DB;
    const server = await startExpressServer({ port: 0, env });
    try {
      expect((await fetch(`${server.url}/health?probe=liveness`)).status).toBe(200);
      expect(existsSync(join(dir, 'jobs.sqlite'))).toBe(true);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
