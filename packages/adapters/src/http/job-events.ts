import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isTerminal, type JobRecord, type VideoJobs } from '@scriptsensei/core';
import type { WireJob } from './wire-format.js';

/**
 * Server-Sent Events for one job: the current state first, then every change, a comment line
 * as heartbeat, and the stream ends after a terminal state. Events are full snapshots, so a
 * client resuming with `Last-Event-ID` needs only the newest state: it is sent unless the client
 * has seen it already.
 *
 * An event id names its snapshot: the job's update time in ms, then a digest of the snapshot.
 * The time alone cannot tell two updates within one millisecond apart (a resume would skip the
 * second), and a per-connection counter means nothing to the next connection; the digest makes
 * the id the same on every connection and every API process, so a resume skips exactly the
 * snapshot the client holds. The same comparison drops a change that repeats the last one sent.
 */
export function jobEventStream(c: Context, jobs: VideoJobs, first: JobRecord, toWire: (job: JobRecord) => WireJob, heartbeatMs: number): Response {
  const seen = parseEventId(c.req.header('last-event-id'));
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
    let last = seen;
    /** Sends `job` unless the client already has it or something newer. */
    const offer = async (job: JobRecord) => {
      const data = JSON.stringify(toWire(job));
      const event = { time: Date.parse(job.updatedAt), digest: digestOf(data) };
      if (last && (event.time < last.time || (event.time === last.time && event.digest === last.digest))) return;
      last = event;
      await stream.writeSSE({ event: 'job', id: `${event.time}-${event.digest}`, data });
    };
    try {
      // Read the state again after subscribing, so no change falls between the two.
      let current = await jobs.get(first.id).catch(() => first);
      await offer(current);
      while (!closed && !isTerminal(current.status)) {
        if (!pending.length) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        for (const job of pending.splice(0)) {
          if (Date.parse(job.updatedAt) < Date.parse(current.updatedAt)) continue;
          current = job;
          await offer(job);
        }
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
    }
  });
}

interface EventMark {
  time: number;
  digest: string;
}

/** The `Last-Event-ID` a client sent back, or undefined for none or one we did not issue. */
function parseEventId(header: string | undefined): EventMark | undefined {
  const match = /^(\d+)-([\w-]+)$/.exec(header ?? '');
  return match ? { time: Number(match[1]), digest: match[2]! } : undefined;
}

/** 96 bits of SHA-1 in base64url: names a snapshot, not a security boundary. */
function digestOf(data: string): string {
  return createHash('sha1').update(data).digest('base64url').slice(0, 16);
}
