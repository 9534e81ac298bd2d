import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createVideoJobsClient } from '@scriptsensei/client';
import { browserAvailable, launchChromium } from '../../../tools/testing/browser.js';
import { script, startProxy, startReferenceServer, type ReferenceServer } from '../../../tools/testing/reference-server.js';
import { startFixture } from './browser/fixture-server.js';

type Probe = { log: { on: string; [key: string]: unknown }[]; streams: { opened: string[]; open: number }; polls: number };

const run = browserAvailable('React hooks in chromium');

describe.runIf(run)('React hooks and components in a real browser (StrictMode, development build)', () => {
  let server: ReferenceServer;
  let fixture: Awaited<ReturnType<typeof startFixture>>;
  let fixture18: Awaited<ReturnType<typeof startFixture>>;
  let browser: Browser;

  beforeAll(async () => {
    [server, fixture, fixture18, browser] = await Promise.all([startReferenceServer({ WORKERS: '1' }), startFixture(19), startFixture(18), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
    await fixture18?.close();
    await server?.close();
  });

  async function open(query: Record<string, string>, react: 18 | 19 = 19): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(`${(react === 18 ? fixture18 : fixture).url}?${new URLSearchParams({ api: server.api, ...query })}`);
    await expect(page.evaluate(() => (window as unknown as { reactVersion: string }).reactVersion)).resolves.toMatch(new RegExp(`^${react}\\.`));
    return page;
  }
  const probe = (page: Page) => page.evaluate(() => (window as unknown as { probe: Probe }).probe);
  const api = () => createVideoJobsClient({ baseUrl: server.api });

  it.each([19, 18] as const)('useVideoJob on React %i: progress in order, each callback once, one stream per job, closed when done', async (react) => {
    const page = await open({ mode: 'hook' }, react);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.log.some((e) => e.on === 'success'), undefined, { timeout: 60_000 });
    const { log, streams } = await probe(page);
    const progress = log.filter((e) => e.on === 'progress');
    const keys = progress.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length); // no callback fired twice for one state
    const values = progress.map((e) => e.progress as number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(progress.map((e) => e.stage)).size).toBeGreaterThanOrEqual(3);
    expect(log.filter((e) => e.on === 'success')).toHaveLength(1);
    expect(log.at(-1)).toMatchObject({ on: 'success', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/jobs\/.+\/video$/) });
    expect(streams.opened).toHaveLength(1); // StrictMode's double mount did not open a second one
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.streams.open === 0);
    await expect(page.getByTestId('state').textContent()).resolves.toBe('success 100 false');
    await page.close();
  });

  it('unmounting closes the stream of a job still running; a reload with jobId resumes it', async () => {
    const blocker = await api().submit({ script: script(8, 'Blocker') });
    const job = await api().submit({ script: script(2, 'Resumed') });
    const page = await open({ mode: 'hook', jobId: job.id });
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.streams.open === 1);
    await expect(page.getByTestId('state').textContent()).resolves.toMatch(/^(pending|processing) \d+ true$/);
    await page.getByRole('button', { name: 'Toggle' }).click(); // unmount
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.streams.open === 0);

    await page.reload();
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.streams.open === 1);
    // The reloaded page follows the job again: free the worker so it runs now, not after the blocker.
    await api().cancel(blocker.id).catch(() => undefined);
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.log.some((e) => e.on === 'success'), undefined, { timeout: 60_000 });
    await expect(page.getByTestId('job-id').textContent()).resolves.toBe(job.id);
    expect((await probe(page)).streams.opened).toHaveLength(1);
    await page.close();
  });

  it.each([19, 18] as const)('VideoJobStatus on React %i: accessible progress bar, cancel while queued, retry, then a playable video', async (react) => {
    const blocker = await api().submit({ script: script(6, 'Busy') });
    const job = await api().submit({ script: script(2, 'Status') });
    const page = await open({ mode: 'status', jobId: job.id }, react);
    const root = page.locator('.ss-job');
    const bar = page.getByRole('progressbar', { name: 'Progress' });
    await expect(bar.getAttribute('aria-valuenow')).resolves.toMatch(/^\d+$/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForSelector('.ss-job[data-status="cancelled"]');
    await api().cancel(blocker.id).catch(() => undefined);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForSelector('.ss-job[data-status="success"]', { timeout: 60_000 });
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(root.locator('.ss-job__badge').textContent()).resolves.toBe('Ready');
    const video = page.locator('video.ss-job__video');
    await video.evaluate((v: HTMLVideoElement) => v.play().catch(() => undefined));
    await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).readyState >= 2, undefined, { timeout: 20_000 });
    const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
    const done = await api().get(job.id);
    expect(Math.abs(duration - done.result!.durationSeconds)).toBeLessThan(0.1);
    await expect(page.getByRole('link', { name: 'Download' }).getAttribute('href')).resolves.toBe(done.result!.url);
    await page.close();
  });

  it('useVideoJobs: a page of history whose running jobs update live; useJobStats counts', async () => {
    const userId = `history-${Date.now()}`;
    const client = createVideoJobsClient({ baseUrl: server.api, userId });
    const done = await client.submit({ script: script(1, 'Done'), title: 'first' });
    await new Promise<void>((resolve) => client.subscribe(done.id, (j) => j.status === 'success' && resolve()));
    const blocker = await api().submit({ script: script(8, 'Blocker') });
    const running = await client.submit({ script: script(2, 'Running'), title: 'second' });
    const page = await open({ mode: 'history', userId });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=row]').length === 2);
    await expect(page.getByTestId('total').textContent()).resolves.toBe('2');
    // Newest first, still queued behind the blocker; it turns to success on the page without a
    // reload or refresh.
    await expect(page.getByTestId('row').first().textContent()).resolves.toBe('second');
    await expect(page.getByTestId('row').first().getAttribute('data-status')).resolves.toBe('pending');
    await api().cancel(blocker.id);
    await page.waitForSelector('[data-testid=row][data-status="success"]:first-child', { timeout: 60_000 });
    expect((await client.get(running.id)).status).toBe('success');
    await page.waitForFunction(() => /^\d+ 24$/.test(document.querySelector('[data-testid=stats]')!.textContent!));
    expect((await probe(page)).streams.opened.length).toBeLessThanOrEqual(1); // the finished job needed none
    await page.close();
  });

  it('polls when the server has no SSE route, in the browser too', async () => {
    const proxy = await startProxy(server.url, (req) => (req.url?.includes('/events') ? 'not-found' : 'pass'));
    try {
      const page = await browser.newPage();
      await page.goto(`${fixture.url}?${new URLSearchParams({ api: `${proxy.url}/api/v1`, mode: 'hook' })}`);
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.log.some((e) => e.on === 'success'), undefined, { timeout: 60_000 });
      const { streams, polls, log } = await probe(page);
      expect(streams.opened).toHaveLength(1);
      expect(polls).toBeGreaterThan(1);
      expect(log.filter((e) => e.on === 'progress').length).toBeGreaterThan(1);
      await page.close();
    } finally {
      await proxy.close();
    }
  });

  it("useAsyncJob runs the original front end's code unchanged", async () => {
    const page = await open({ mode: 'compat' });
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.log.some((e) => e.on === 'success'), undefined, { timeout: 60_000 });
    const { log } = await probe(page);
    const success = log.find((e) => e.on === 'success')!;
    expect(success.video_path).toMatch(/\.mp4$/);
    expect(success.video_url).toMatch(/\/video$/);
    expect(log.some((e) => e.on === 'progress' && typeof e.message === 'string')).toBe(true);
    const state = (await page.getByTestId('state').textContent())!.split(' ');
    expect(state[1]).toBe('success');
    const job = await api().get(state[0]!);
    // Unconfigured voice_provider: narrated with espeak, and the job says so.
    expect(job).toMatchObject({ userId: 'user-456', priority: 5, metadata: { script_id: 'abc-123' }, warnings: [expect.stringContaining('azure')] });
    await page.close();
  });
});
