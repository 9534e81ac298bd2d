import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createVideoJobsClient, isTerminal, type VideoJobsClient } from '@scriptsensei/client';
import { browserAvailable, launchChromium } from '../../../tools/testing/browser.js';
// The reference server users run (`pnpm serve`), in this process.
import { startServer } from '../../express-server/server.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);
const nextBin = createRequire(join(appDir, 'package.json')).resolve('next/dist/bin/next');
const shots = join(appDir, 'test-results');

/** What the app's production build depends on: when any is newer than the build, it is rebuilt. */
const BUILD_INPUTS = ['app', 'components', 'lib', 'next.config.mjs', 'package.json', 'tsconfig.json', '../../packages/client/dist', '../../packages/react/dist'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** The environment for `next`: vitest's NODE_ENV=test would make a build neither dev nor production. */
function nextEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...extra };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NEXT_PUBLIC_VIDEO_SERVICE_URL') delete env[name];
  return { ...env, ...extra };
}

/** `next build`, when the last build is missing or older than its sources. */
async function buildApp(): Promise<void> {
  for (const pkg of ['client', 'react']) {
    if (!existsSync(join(repoDir, `packages/${pkg}/dist/index.js`))) throw new Error(`packages/${pkg} is not built: run \`pnpm build\` first`);
  }
  const buildId = join(appDir, '.next/BUILD_ID');
  const sources = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(appDir, p))));
  if (existsSync(buildId) && statSync(buildId).mtimeMs > sources) return;
  const child = spawn(process.execPath, [nextBin, 'build'], { cwd: appDir, env: nextEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`next build failed (${code}):\n${output}`);
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `next start` as a child process; resolves once it answers HTTP. */
async function startApp(serviceUrl: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: appDir,
    env: nextEnv({ NEXT_PUBLIC_VIDEO_SERVICE_URL: serviceUrl, NEXT_PUBLIC_JOB_POLL_INTERVAL: '1000' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    const answer = await fetch(`${url}/dashboard/videos/new`).catch(() => undefined);
    if (answer?.ok) break;
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval while the server starts
  }
  return {
    url,
    output: () => output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Records every text of the status message and every value of the progress bar, as they change. */
function installRecorder() {
  const w = window as unknown as { __ss: { messages: string[]; progress: number[] } };
  w.__ss = { messages: [], progress: [] };
  const record = () => {
    const message = document.querySelector('.ss-job__message')?.textContent;
    if (message && w.__ss.messages.at(-1) !== message) w.__ss.messages.push(message);
    const value = document.querySelector('.ss-job [role="progressbar"]')?.getAttribute('aria-valuenow');
    if (value != null && w.__ss.progress.at(-1) !== Number(value)) w.__ss.progress.push(Number(value));
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-valuenow'] });
}

/** axe-core's violations of impact serious or critical, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const { violations } = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A script of `paragraphs` scenes. */
const script = (paragraphs: number, tag: string) => Array.from({ length: paragraphs }, (_, i) => `${tag}, part ${i + 1}: a few words about making videos from text.`).join('\n\n');

const run = browserAvailable('Next.js example end to end');

describe.runIf(run)('Next.js reference front end in chromium (production build against the reference server)', () => {
  let storageDir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let api: VideoJobsClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    storageDir = mkdtempSync(join(tmpdir(), 'ss-nextjs-e2e-'));
    // One render at a time, so a job submitted behind another stays queued until cancelled.
    const env = { ...process.env, STORAGE_DIR: storageDir, JOBS_DB: ':memory:', CORS_ORIGINS: '*', LOG_LEVEL: 'silent', RATE_LIMIT: '0', WORKERS: '1' };
    [server, browser] = await Promise.all([startServer({ port: 0, env }), launchChromium(), buildApp()]);
    api = createVideoJobsClient({ baseUrl: `${server.url}/api/v1` });
    app = await startApp(server.url);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('page', (page) => {
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && /hydrat/i.test(message.text())) pageErrors.push(`${page.url()}: ${message.text()}`);
      });
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    if (server) {
      // Whatever is still queued or rendering (the bulk jobs) is cancelled, so closing is quick.
      const { jobs } = await api.list({ pageSize: 100 });
      await Promise.all(jobs.filter((j) => !isTerminal(j.status)).map((j) => api.cancel(j.id).catch(() => undefined)));
      await server.close();
    }
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  }, 60_000);

  let firstJobId: string;

  it('creates a video: live stages and progress, a toast, the video, then its own page after 2 s', async () => {
    const page = await context.newPage();
    await page.addInitScript(installRecorder);
    await page.goto(`${app.url}/dashboard/videos/new?scriptId=123`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('New video');
    // The service URL came from the environment of `next start`, not from the build.
    expect(await page.content()).toContain(server.url);

    await page.getByLabel('Script', { exact: true }).fill(script(4, 'Launch'));
    await page.getByLabel('Title', { exact: true }).fill('Launch day');
    await page.getByLabel('Platform', { exact: true }).selectOption('youtube');
    await page.getByLabel('Style', { exact: true }).selectOption('ocean');
    expect(await seriousViolations(page), 'new-video page').toEqual([]);

    await page.getByRole('button', { name: 'Create Video' }).click();
    await page.waitForSelector('.ss-job[data-status="success"]', { timeout: 120_000 });
    const succeededAt = Date.now();
    // The page stays to show the result before it moves on to the video's own page.
    expect(new URL(page.url()).pathname).toBe('/dashboard/videos/new');
    await page.getByRole('status').getByText('Your video is ready').waitFor();
    const jobId = new URL(page.url()).searchParams.get('jobId')!;
    expect(jobId).toBeTruthy();
    await page.screenshot({ path: join(shots, 'new-video.png'), fullPage: true });

    const { messages, progress } = await page.evaluate(() => (window as unknown as { __ss: { messages: string[]; progress: number[] } }).__ss);
    expect(new Set(messages).size, `messages seen: ${JSON.stringify(messages)}`).toBeGreaterThanOrEqual(3);
    expect(new Set(progress).size, `progress seen: ${JSON.stringify(progress)}`).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);

    const done = await api.get(jobId);
    expect(done).toMatchObject({ status: 'success', request: { title: 'Launch day', platform: 'youtube', style: 'ocean' }, metadata: { script_id: '123' } });
    await expect(page.locator('video.ss-job__video').getAttribute('src')).resolves.toBe(done.result!.url);

    await page.waitForURL(`${app.url}/dashboard/videos/${jobId}`, { timeout: 10_000 });
    // The redirect waits 2 s from the success the page saw; ours is read a round trip later.
    expect(Date.now() - succeededAt).toBeGreaterThan(1000);
    firstJobId = jobId;

    // The finished video's page plays the video the server made.
    await page.getByRole('heading', { level: 1, name: 'Launch day' }).waitFor();
    const video = page.locator('video.ss-job__video');
    await video.waitFor();
    await video.evaluate((v: HTMLVideoElement) => v.play());
    await page.waitForFunction(() => {
      const v = document.querySelector('video') as HTMLVideoElement;
      return v.readyState >= 2 && v.currentTime > 0;
    }, undefined, { timeout: 30_000 });
    // Both tracks decode (H.264 video, AAC audio): Chromium counts the bytes each decoder took.
    await page.waitForFunction(() => {
      const v = document.querySelector('video') as HTMLVideoElement & { webkitAudioDecodedByteCount: number; webkitVideoDecodedByteCount: number };
      return v.webkitAudioDecodedByteCount > 0 && v.webkitVideoDecodedByteCount > 0;
    }, undefined, { timeout: 30_000 });
    const { duration, error, width } = await video.evaluate((v: HTMLVideoElement) => ({ duration: v.duration, error: v.error?.code ?? null, width: v.videoWidth }));
    expect(error).toBeNull();
    expect(width).toBe(done.result!.width);
    expect(Math.abs(duration - done.result!.durationSeconds)).toBeLessThan(0.1);
    await video.evaluate((v: HTMLVideoElement) => v.pause());
    await expect(page.getByRole('link', { name: 'Download' }).getAttribute('href')).resolves.toBe(done.result!.url);
    expect(await seriousViolations(page), 'job page').toEqual([]);
    await page.screenshot({ path: join(shots, 'job-page.png'), fullPage: true });

    // A reload of the job page resumes watching (here: shows the finished job again).
    await page.reload();
    await page.waitForSelector('.ss-job[data-status="success"]');
    await page.close();
  }, 180_000);

  it('cancels a queued job from its status, and the jobs page shows it cancelled; retry from the list runs it live', async () => {
    // Keep the only worker busy so the job made in the browser waits in the queue.
    const blocker = await api.submit({ script: script(10, 'Blocker'), title: 'Blocker' });
    const page = await context.newPage();
    await page.goto(`${app.url}/dashboard/videos/new`);
    await page.getByLabel('Script', { exact: true }).fill(script(2, 'Second'));
    await page.getByLabel('Title', { exact: true }).fill('Second video');
    await page.getByRole('button', { name: 'Create Video' }).click();
    await page.waitForSelector('.ss-job[data-status="pending"]');
    const jobId = await page.waitForFunction(() => new URL(location.href).searchParams.get('jobId')).then((h) => h.jsonValue() as Promise<string>);
    // The job is in the URL: a reload resumes watching it.
    await page.reload();
    await page.waitForSelector('.ss-job[data-status="pending"]');
    await page.locator('.ss-job').getByRole('button', { name: 'Cancel' }).click();
    await page.waitForSelector('.ss-job[data-status="cancelled"]');
    await page.getByRole('status').getByText('Video cancelled').waitFor();
    expect((await api.get(jobId)).status).toBe('cancelled');
    await api.cancel(blocker.id);

    await page.getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.waitForURL(`${app.url}/dashboard/jobs`);
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.waitFor();
    await expect(row.getAttribute('data-status')).resolves.toBe('cancelled');
    await expect(row.locator('.badge').textContent()).resolves.toBe('Cancelled');
    await expect(page.locator(`tr[data-job-id="${firstJobId}"] .badge`).textContent()).resolves.toBe('Ready');

    // The status filter.
    await page.getByLabel('Status', { exact: true }).selectOption('cancelled');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('tbody tr[data-job-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(['cancelled', 'cancelled']);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('tbody tr[data-job-id]').count()).toBe(3);
    // The date filters: nothing was created on or after tomorrow, everything on or before today.
    const day = (offset: number) => {
      const d = new Date(Date.now() + offset * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    await page.getByLabel('Created on or after').fill(day(1));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No jobs match.').waitFor();
    await page.getByLabel('Created on or after').fill(day(-1));
    await page.getByLabel('Created on or before').fill(day(0));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('tbody tr[data-job-id]').count()).toBe(3);

    expect(await seriousViolations(page), 'jobs page').toEqual([]);

    // Retry from the list: the row turns active and follows the render live to the end.
    await row.getByRole('button', { name: 'Retry Second video' }).click();
    await page.waitForSelector(`tr[data-job-id="${jobId}"] [role="progressbar"]`);
    await page.waitForSelector(`tr[data-job-id="${jobId}"][data-status="success"]`, { timeout: 120_000 });
    await page.close();
  }, 240_000);

  it('bulk create: scripts separated by --- become one batch; the history pages', async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/dashboard/jobs`);
    await page.locator('tbody tr[data-job-id]').first().waitFor();
    const scripts = Array.from({ length: 10 }, (_, i) => `Bulk script ${i + 1}.\n\nIts second paragraph.`).join('\n---\n');
    await page.getByLabel('Scripts', { exact: true }).fill(scripts);
    await page.getByRole('button', { name: 'Create 10 videos' }).click();
    await page.getByRole('status').getByText('10 videos queued').waitFor();
    // 3 earlier jobs + 10: two pages of ten.
    await page.getByText('Page 1 of 2 · 13 jobs').waitFor();
    // Queued and rendering rows show live progress and a Cancel button.
    await page.locator('tbody tr[data-status="processing"] [role="progressbar"]').first().waitFor({ timeout: 30_000 });
    await expect(page.locator('tbody tr[data-status="pending"]').first().getByRole('button', { name: /^Cancel / }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(shots, 'jobs.png'), fullPage: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2 of 2 · 13 jobs').waitFor();
    await expect.poll(() => page.locator('tbody tr[data-job-id]').count()).toBe(3);
    const { jobs } = await api.list({ pageSize: 100 });
    expect(jobs.filter((j) => j.request.script.startsWith('Bulk script'))).toHaveLength(10);
    await page.close();
  }, 60_000);

  it('analytics draws counts by status, success rate and render times', async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/dashboard/analytics`);
    const ready = page.locator('svg[data-chart] g[data-bar="Ready"]');
    await ready.waitFor();
    await expect.poll(async () => Number(await ready.getAttribute('data-value'))).toBeGreaterThanOrEqual(2);
    const barWidth = await ready.locator('rect.chart__bar').evaluate((r) => r.getBoundingClientRect().width);
    expect(barWidth).toBeGreaterThan(0);
    await expect(page.getByRole('img', { name: /Jobs by status/ }).count()).resolves.toBe(1);
    await expect.poll(() => page.locator('[data-stat="success-rate"]').textContent()).toMatch(/^\d+(\.\d)?%$/);
    await expect.poll(() => page.locator('[data-stat="p50"]').textContent()).toMatch(/s$/);
    expect(await seriousViolations(page), 'analytics page').toEqual([]);
    await page.screenshot({ path: join(shots, 'analytics.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('templates: create one, apply it to the new-video form, edit and delete it', async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/dashboard/templates`);
    await page.getByLabel('Name', { exact: true }).fill('Vertical ocean');
    await page.getByLabel('Title', { exact: true }).fill('Short clip');
    await page.getByLabel('Platform', { exact: true }).selectOption('tiktok');
    await page.getByLabel('Style', { exact: true }).selectOption('ocean');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('row', { name: /Vertical ocean/ }).waitFor();
    expect(await seriousViolations(page), 'templates page').toEqual([]);
    await page.screenshot({ path: join(shots, 'templates.png'), fullPage: true });

    await page.getByRole('button', { name: 'Edit Vertical ocean' }).click();
    await page.getByLabel('Style', { exact: true }).selectOption('forest');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('row', { name: /Vertical ocean.*Forest/ }).waitFor();

    await page.getByRole('link', { name: 'New video' }).click();
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Vertical ocean' });
    await page.getByRole('button', { name: 'Apply template' }).click();
    await expect(page.getByLabel('Platform', { exact: true }).inputValue()).resolves.toBe('tiktok');
    await expect(page.getByLabel('Style', { exact: true }).inputValue()).resolves.toBe('forest');
    await expect(page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('Short clip');
    // Save the form's settings as a new template.
    await page.getByLabel('Platform', { exact: true }).selectOption('reels');
    await page.getByLabel('New template name').fill('Reels forest');
    await page.getByRole('button', { name: 'Save as template' }).click();
    await page.getByRole('status').getByText('Template “Reels forest” saved').waitFor();
    expect((await api.templates.list()).map((t) => [t.name, t.platform, t.style])).toEqual([
      ['Reels forest', 'reels', 'forest'],
      ['Vertical ocean', 'tiktok', 'forest'],
    ]);

    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('button', { name: 'Delete Vertical ocean' }).click();
    await page.getByRole('button', { name: 'Delete Reels forest' }).click();
    await page.getByText('No templates yet.').waitFor();
    expect(await api.templates.list()).toEqual([]);
    await page.close();
  }, 60_000);

  it("an unknown job's page says what the API answered", async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/dashboard/videos/no-such-job`);
    await page.waitForSelector('.ss-job[data-status="error"] [role="alert"]');
    await expect(page.locator('.ss-job [role="alert"]').textContent()).resolves.toContain('no-such-job');
    await page.close();
  });

  it('no page raised an error or a hydration mismatch', () => {
    expect(pageErrors).toEqual([]);
  });
});
