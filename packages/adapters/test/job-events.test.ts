import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createVideoJobs } from '@scriptsensei/core';
import { createJobsApi } from '@scriptsensei/adapters/http';
import { createFakePipeline, latch, until, type Latch } from '@scriptsensei/core/testing';

/**
 * The SSE route's resume rules, with the clock stopped so that every update of a job falls in
 * one millisecond: an event id must still name one snapshot, or a resume skips a state the
 * client never saw (or replays one it did).
 */
describe('job events over SSE', () => {
  const holds = new Map<string, Latch>();
  const fake = createFakePipeline((script) => ({ hold: holds.get(script)?.promise, ms: 0 }));
  const jobsReady = createVideoJobs({ pipeline: fake.pipeline });
  afterAll(async () => (await jobsReady).close());
  afterEach(() => vi.useRealTimers());

  /** Reads events until the server ends the stream, or until `stopAfter` events. */
  async function read(api: ReturnType<typeof createJobsApi>, jobId: string, lastEventId?: string, stopAfter = Infinity): Promise<EventSourceMessage[]> {
    const controller = new AbortController();
    const response = await api.fetch(new Request(`http://localhost/jobs/${jobId}/events`, { headers: lastEventId ? { 'last-event-id': lastEventId } : {}, signal: controller.signal }));
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    while (events.length < stopAfter) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
    await reader.cancel();
    controller.abort();
    return events;
  }

  async function heldJob(script: string) {
    const jobs = await jobsReady;
    const api = createJobsApi(jobs, { rateLimit: false });
    const hold = latch();
    holds.set(script, hold);
    const created = await api.fetch(new Request('http://localhost/jobs/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ video_request: { script_content: script } }) }));
    const { job_id } = (await created.json()) as { job_id: string };
    await until(async () => (await jobs.get(job_id)).progress > 0);
    return { jobs, api, hold, id: job_id };
  }

  it('resumes with the states that changed in the millisecond the client saw', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-11-29T09:00:00Z') });
    const { jobs, api, hold, id } = await heldJob(`Same millisecond ${Date.now()}-${Math.random()}`);
    const [seen] = await read(api, id, undefined, 1);
    expect(JSON.parse(seen!.data)).toMatchObject({ status: 'processing', stage: 'analyzing' });

    hold.release();
    await until(async () => (await jobs.get(id)).status === 'success');
    expect((await jobs.get(id)).updatedAt).toBe(JSON.parse(seen!.data).updated_at);

    const resumed = await read(api, id, seen!.id);
    expect(resumed.map((e) => JSON.parse(e.data).status)).toEqual(['success']);
    expect(await read(api, id, resumed[0]!.id)).toEqual([]);
  });

  it('names a snapshot the same way on every connection, and sends none twice in a row', async () => {
    const { jobs, api, hold, id } = await heldJob(`Stable ids ${Date.now()}-${Math.random()}`);
    const following = read(api, id);
    const [first] = await read(api, id, undefined, 1);
    // A client that saw the first state on another connection is not sent it again.
    const resuming = read(api, id, first!.id);
    hold.release();
    const [all, resumed] = await Promise.all([following, resuming]);
    expect(all[0]!.id).toBe(first!.id);
    expect(resumed.map((e) => e.id)).toEqual(all.slice(1).map((e) => e.id));
    expect(all.at(-1)!.id).toMatch(/^\d+-[\w-]+$/);
    expect(JSON.parse(all.at(-1)!.data).status).toBe('success');
    const payloads = all.map((e) => e.data);
    expect(payloads.filter((data, i) => data === payloads[i - 1])).toEqual([]);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect((await jobs.get(id)).status).toBe('success');
  });

  it('treats an id it did not issue as no id', async () => {
    const { api, hold, id } = await heldJob(`Foreign id ${Date.now()}-${Math.random()}`);
    hold.release();
    const events = await read(api, id, 'not-an-id!');
    expect(JSON.parse(events.at(-1)!.data).status).toBe('success');
    expect(events.length).toBeGreaterThanOrEqual(1);
  });
});
