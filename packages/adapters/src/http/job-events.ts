import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isTerminal, type JobRecord, type VideoJobs } from '@scriptsensei/core';
import type { WireJob } from './wire-format.js';

/**
 * Server-Sent Events for one job: the current state first, then every change, a comment line
 * as heartbeat, and the stream ends after a terminal state. Events are full snapshots, so a
 * client resuming with `Last-Event-ID` needs only the newest state: it is sent unless the client
 * has seen it already. Event ids are the job's update time in ms plus a sequence number.
 */
export function jobEventStream(c: Context, jobs: VideoJobs, first: JobRecord, toWire: (job: JobRecord) => WireJob, heartbeatMs: number): Response {
  const lastSeen = Number((c.req.header('last-event-id') ?? '').split('-')[0]);
  return streamSSE(c, async (stream) => {
    const pending: JobRecord[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = jobs.subscribe(first.id, (job) => {
      pending.push(job);
      wake?.();
    });
    let closed = false;
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => undefined), heartbeatMs);
    let sequence = 0;
    const send = (job: JobRecord) =>
      stream.writeSSE({ event: 'job', id: `${Date.parse(job.updatedAt)}-${(sequence += 1)}`, data: JSON.stringify(toWire(job)) });
    try {
      // Read the state again after subscribing, so no change falls between the two.
      const current = await jobs.get(first.id).catch(() => first);
      if (!(Date.parse(current.updatedAt) <= lastSeen)) await send(current);
      let last = current;
      while (!closed && !isTerminal(last.status)) {
        if (!pending.length) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        for (const job of pending.splice(0)) {
          if (Date.parse(job.updatedAt) < Date.parse(last.updatedAt)) continue;
          last = job;
          await send(job);
        }
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
    }
  });
}
