import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@scriptsensei/core/testing';
import { createVideoJobsClient, isTerminal, VideoJobsError, type VideoJob } from '@scriptsensei/client';
import { script, startProxy, startReferenceServer, type ReferenceServer } from '../../../tools/testing/reference-server.js';

/** Real fetch, with every call recorded (path, Last-Event-ID, and the signal to see it closed). */
function recordingFetch() {
  const calls: { url: string; lastEventId?: string; signal?: AbortSignal }[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    calls.push({ url: String(input), lastEventId: headers.get('last-event-id') ?? undefined, signal: init?.signal ?? undefined });
    return fetch(input, init);
  };
  return { fetch: fetchImpl, calls, streams: () => calls.filter((c) => c.url.endsWith('/events')) };
}

/** Resolves with every state `jobId` goes through until it finishes. */
function follow(client: ReturnType<typeof createVideoJobsClient>, jobId: string) {
  const seen: VideoJob[] = [];
  let stop = () => {};
  const done = new Promise<VideoJob[]>((resolve, reject) => {
    stop = client.subscribe(
      jobId,
      (job) => {
        seen.push(job);
        if (isTerminal(job.status)) resolve(seen);
      },
      (error) => reject(error),
    );
  });
  return { seen, done: done.finally(() => stop()), stop: () => stop() };
}

let server: ReferenceServer;
beforeAll(async () => {
  server = await startReferenceServer({ WORKERS: '1' });
});
afterAll(async () => {
  await server?.close();
});

describe('client against the reference server', () => {
  it('submits, streams progress in order over one SSE connection, and ends with a playable absolute URL', async () => {
    const rec = recordingFetch();
    const client = createVideoJobsClient({ baseUrl: server.api, fetch: rec.fetch, userId: 'client-progress' });
    const job = await client.submit({ script: script(3, 'Progress'), title: 'Progress', platform: 'youtube' }, { priority: 7, metadata: { script_id: 's-1', campaign: 'spring' } });
    expect(job).toMatchObject({ status: 'pending', userId: 'client-progress', priority: 7, request: { title: 'Progress', platform: 'youtube' }, metadata: { script_id: 's-1', campaign: 'spring' } });
    expect(client.peek(job.id)).toEqual(job);

    const a = follow(client, job.id);
    const b = follow(client, job.id); // a second subscriber shares the connection
    const states = await a.done;
    await b.done;
    expect(rec.streams()).toHaveLength(1);

    const progress = states.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    const stages = [...new Set(states.map((s) => s.stage))];
    expect(stages.length).toBeGreaterThanOrEqual(4);
    const final = states.at(-1)!;
    expect(final.status).toBe('success');
    expect(final.result!.url).toBe(`${server.api}/jobs/${job.id}/video`);
    expect(final.result).toMatchObject({ width: 1920, height: 1080, platform: 'youtube', language: 'en-US' });
    expect(final.result!.scenes).toHaveLength(3);
    const video = await fetch(final.result!.url, { headers: { range: 'bytes=0-99' } });
    expect(video.status).toBe(206);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    // The stream closed when the job finished.
    await until(() => rec.streams()[0]!.signal!.aborted, 5000, 10);
  });

  it('closes the shared connection when the last subscriber leaves, and not before', async () => {
    const rec = recordingFetch();
    const client = createVideoJobsClient({ baseUrl: server.api, fetch: rec.fetch });
    const blocker = await client.submit({ script: script(6, 'Blocker') });
    const job = await client.submit({ script: script(1, 'Waiting') });
    const first = client.subscribe(job.id, () => {});
    const second = client.subscribe(job.id, () => {});
    await until(() => rec.streams().length === 1, 5000, 5);
    first();
    second();
    // Every subscriber left, then one came straight back (React StrictMode's double mount).
    const third = client.subscribe(job.id, () => {});
    // Timers of equal delay run in order: this one runs after the client's close-on-next-tick.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(rec.streams()).toHaveLength(1);
    expect(rec.streams()[0]!.signal!.aborted).toBe(false);
    third();
    await until(() => rec.streams()[0]!.signal!.aborted, 5000, 5);
    await client.cancel(job.id);
    await client.cancel(blocker.id);
  });

  it('cancels a queued job and follows it again after a retry, to success', async () => {
    const client = createVideoJobsClient({ baseUrl: server.api });
    const blocker = await client.submit({ script: script(6, 'Busy') });
    const job = await client.submit({ script: script(2, 'Cancel me') });
    const states: VideoJob[] = [];
    const stop = client.subscribe(job.id, (s) => states.push(s));
    const cancelled = await client.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    await until(() => states.at(-1)?.status === 'cancelled', 5000, 5);

    const retried = await client.retry(job.id);
    expect(retried.status).toBe('pending');
    // Free the worker, so the retried job runs now rather than after the blocker's render.
    await client.cancel(blocker.id);
    // The same subscription follows the job again without subscribing anew.
    await until(() => states.at(-1)?.status === 'success', 30_000, 10);
    stop();
    expect(states.map((s) => s.status)).toEqual(expect.arrayContaining(['pending', 'cancelled', 'processing', 'success']));
  });

  it('falls back to polling when the SSE route is unavailable', async () => {
    const proxy = await startProxy(server.url, (req) => (req.url?.includes('/events') ? 'not-found' : 'pass'));
    try {
      const rec = recordingFetch();
      const client = createVideoJobsClient({ baseUrl: `${proxy.url}/api/v1`, fetch: rec.fetch, pollIntervalMs: 100 });
      const job = await client.submit({ script: script(2, 'Polled') });
      const states = await follow(client, job.id).done;
      expect(states.at(-1)!.status).toBe('success');
      expect(rec.streams()).toHaveLength(1); // tried once, then polled
      const polls = rec.calls.filter((c) => c.url.endsWith(`/jobs/${job.id}`));
      expect(polls.length).toBeGreaterThan(1);
      expect(states.length).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });

  it('resumes a dropped stream with Last-Event-ID, without replaying what it saw', async () => {
    const proxy = await startProxy(server.url, (req, nth) => (req.url?.includes('/events') && nth === 1 ? 'cut-after-first-chunk' : 'pass'));
    try {
      const rec = recordingFetch();
      const client = createVideoJobsClient({ baseUrl: `${proxy.url}/api/v1`, fetch: rec.fetch });
      const job = await client.submit({ script: script(3, 'Resumed') });
      const states = await follow(client, job.id).done;
      expect(states.at(-1)!.status).toBe('success');
      const streams = rec.streams();
      expect(streams.length).toBeGreaterThanOrEqual(2);
      expect(streams[0]!.lastEventId).toBeUndefined();
      expect(streams[1]!.lastEventId).toMatch(/^\d+-[\w-]+$/);
      // Snapshots only ever move forward, and none arrives twice. Two updates may share a
      // millisecond, so a snapshot is its time with its status and progress, not its time alone.
      const times = states.map((s) => s.updatedAt);
      expect(times).toEqual([...times].sort());
      const snapshots = states.map((s) => `${s.updatedAt} ${s.status} ${s.progress}`);
      expect(new Set(snapshots).size).toBe(snapshots.length);
    } finally {
      await proxy.close();
    }
  });

  it('lists, counts and summarises in camelCase', async () => {
    const client = createVideoJobsClient({ baseUrl: server.api, userId: `lister-${Date.now()}` });
    const job = await client.submit({ script: script(1, 'Listed') });
    await follow(client, job.id).done;
    const page = await client.list({ status: 'success', pageSize: 5 });
    expect(page).toMatchObject({ total: 1, page: 1, pageSize: 5 });
    expect(page.jobs[0]!.id).toBe(job.id);
    const counts = await client.counts();
    expect(counts.total).toBeGreaterThan(0);
    expect(Object.keys(counts).sort()).toEqual(['cancelled', 'failure', 'pending', 'processing', 'retrying', 'success', 'total']);
    const summary = await client.summary({ windowHours: 1 });
    expect(summary).toMatchObject({ windowHours: 1, renderSeconds: { count: expect.any(Number) } });
    expect(summary.successRate).toBeGreaterThan(0);
  });

  it('submits a batch: each item accepted or refused on its own', async () => {
    const client = createVideoJobsClient({ baseUrl: server.api });
    const batch = await client.submitBatch([{ request: { script: script(1, 'Batch one') } }, { request: { script: '' } }, { request: { script: script(1, 'Batch three'), platform: 'tiktok' } }]);
    expect(batch.created).toBe(2);
    expect(batch.failed).toBe(1);
    expect(batch.results[0]!.job!.status).toBe('pending');
    expect(batch.results[1]!.error).toMatchObject({ code: 'VALIDATION' });
    expect(batch.results[1]!.error!.issues![0]!.field).toBe('jobs.1.video_request.script_content');
    expect(batch.results[2]!.job!.request.platform).toBe('tiktok');
    for (const r of batch.results) if (r.job) await client.cancel(r.job.id).catch(() => undefined);
  });
});

describe('typed errors', () => {
  it('names the fields at fault of a refused submit', async () => {
    const client = createVideoJobsClient({ baseUrl: server.api });
    const error = await client.submit({ script: '   ', platform: 'myspace' as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoJobsError);
    expect(error).toMatchObject({ status: 422, code: 'VALIDATION', retryable: false });
    const fields = (error as VideoJobsError).fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['video_request.script_content', 'video_request.platform']));
  });

  it('reports an unknown job as NOT_FOUND, to a call and to a subscriber', async () => {
    const client = createVideoJobsClient({ baseUrl: server.api, pollIntervalMs: 50 });
    await expect(client.get('no-such-job')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND', retryable: false });
    const error = await new Promise<VideoJobsError>((resolve) => client.subscribe('no-such-job', () => {}, resolve));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('reports 429 with Retry-After as retryable', async () => {
    const limited = await startReferenceServer({ RATE_LIMIT: '1' });
    try {
      const client = createVideoJobsClient({ baseUrl: limited.api, userId: 'limited' });
      const first = await client.submit({ script: script(1, 'Allowed') });
      const error = (await client.submit({ script: script(1, 'Refused') }).catch((e: unknown) => e)) as VideoJobsError;
      expect(error).toMatchObject({ status: 429, retryable: true });
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      await client.cancel(first.id).catch(() => undefined);
    } finally {
      await limited.close();
    }
  });

  it('reports an unreachable server as a retryable NETWORK error', async () => {
    const gone = await startReferenceServer();
    const api = gone.api;
    await gone.close();
    const error = await createVideoJobsClient({ baseUrl: api }).counts().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'NETWORK', retryable: true });
  });

  it('sends a fresh token from a token function; without one, auth refuses', async () => {
    const secured = await startReferenceServer({ API_KEYS: 'key-abc:alice' });
    try {
      let asked = 0;
      const client = createVideoJobsClient({ baseUrl: secured.api, token: async () => (asked++, 'key-abc') });
      const job = await client.submit({ script: script(1, 'Authorised') });
      expect(job.userId).toBe('alice');
      expect(asked).toBe(1);
      await expect(createVideoJobsClient({ baseUrl: secured.api }).counts()).rejects.toMatchObject({ status: 401 });
      // The SSE stream is authorised too (fetch-based, so it can send the header).
      const states = await follow(client, job.id).done;
      expect(states.at(-1)!.status).toBe('success');
    } finally {
      await secured.close();
    }
  });

  it('refuses a relative base URL at once', () => {
    expect(() => createVideoJobsClient({ baseUrl: '/api/v1' })).toThrow(TypeError);
  });
});
