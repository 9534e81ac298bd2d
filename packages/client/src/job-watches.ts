import type { VideoJobsError } from './errors.js';
import { CACHE_SIZE, MAX_BACKOFF_MS, STREAM_FAILURES_BEFORE_POLLING, type ClientSettings } from './defaults.js';
import { readEvents } from './sse-reader.js';
import { isTerminal } from './status.js';
import type { VideoJob } from './types.js';
import { fromWire } from './wire.js';

export type JobListener = (job: VideoJob) => void;
export type JobErrorListener = (error: VideoJobsError) => void;

/** What the watches need from the client: its fetch, URLs, auth headers and `GET /jobs/{id}`. */
export interface WatchTransport {
  fetch: typeof fetch;
  url(path: string): string;
  headers(): Promise<Record<string, string>>;
  get(jobId: string): Promise<VideoJob>;
}

interface Subscriber {
  job: JobListener;
  error?: JobErrorListener;
}

interface Watch {
  id: string;
  /** Objects, not the listener functions: the same function may subscribe twice. */
  subscribers: Set<Subscriber>;
  running: boolean;
  stop?: AbortController;
  /** The newest SSE event id seen, sent back as `Last-Event-ID` on reconnect. */
  lastEventId?: string;
  linger?: ReturnType<typeof setTimeout>;
}

type StreamOutcome = 'ended' | 'failed' | 'unsupported';

/**
 * The client's job cache and live subscriptions. One connection per job id however many
 * subscribers it has: an SSE stream while fewer than `maxStreams` are open (browsers allow about
 * six HTTP/1.1 connections per origin), polling otherwise or when the SSE route is unavailable.
 * Every job the client receives, from any call, goes through `remember`, so subscribers and
 * `peek` always hold the newest state.
 */
export function createJobWatches(t: WatchTransport, settings: ClientSettings) {
  const cache = new Map<string, VideoJob>();
  const watches = new Map<string, Watch>();
  let streams = 0;

  function remember(job: VideoJob): VideoJob {
    const known = cache.get(job.id);
    // Responses and events can arrive out of order: never go back to an older state.
    if (known && (job.updatedAt < known.updatedAt || (job.updatedAt === known.updatedAt && job.status === known.status && job.progress === known.progress))) return known;
    cache.delete(job.id);
    cache.set(job.id, job);
    trim();
    const watch = watches.get(job.id);
    if (watch) {
      for (const s of [...watch.subscribers]) s.job(job);
      // A retried job is active again: follow it again.
      start(watch);
    }
    return job;
  }

  /** Forgets the oldest jobs nobody watches once the cache is over its size. */
  function trim() {
    for (const id of cache.keys()) {
      if (cache.size <= CACHE_SIZE) return;
      if (!watches.has(id)) cache.delete(id);
    }
  }

  function start(watch: Watch) {
    const known = cache.get(watch.id);
    if (watch.running || !watch.subscribers.size || (known && isTerminal(known.status))) return;
    watch.running = true;
    const stop = (watch.stop = new AbortController());
    void follow(watch, stop.signal).finally(() => {
      if (watch.stop === stop) watch.running = false;
    });
  }

  async function follow(watch: Watch, signal: AbortSignal) {
    let streaming = streams < settings.maxStreams;
    if (streaming) streams += 1;
    let failures = 0;
    const stopStreaming = () => {
      if (streaming) streams -= 1;
      streaming = false;
    };
    try {
      while (!signal.aborted) {
        const known = cache.get(watch.id);
        if (known && isTerminal(known.status)) return;
        if (streaming) {
          const outcome = await streamOnce(watch, signal);
          if (outcome === 'unsupported') stopStreaming();
          else if (outcome === 'ended') failures = 0;
          else if ((failures += 1) >= STREAM_FAILURES_BEFORE_POLLING) stopStreaming();
          else await delay(backoffMs(failures), signal);
          continue;
        }
        try {
          remember(await t.get(watch.id));
          failures = 0;
        } catch (error) {
          if (signal.aborted) return;
          // Passing trouble (network, 5xx, 429) is retried quietly; anything else ends the watch.
          if (!(error as VideoJobsError).retryable) {
            for (const s of [...watch.subscribers]) s.error?.(error as VideoJobsError);
            return;
          }
          failures += 1;
        }
        if (!isTerminal(cache.get(watch.id)?.status ?? 'pending')) {
          await delay(failures ? Math.max(settings.pollIntervalMs, backoffMs(failures)) : settings.pollIntervalMs, signal);
        }
      }
    } finally {
      stopStreaming();
    }
  }

  /** One SSE connection, until the server ends it or it fails. */
  async function streamOnce(watch: Watch, signal: AbortSignal): Promise<StreamOutcome> {
    const connection = new AbortController();
    const abort = () => connection.abort();
    signal.addEventListener('abort', abort);
    let received = false;
    try {
      const headers = await t.headers();
      headers.accept = 'text/event-stream';
      if (watch.lastEventId) headers['last-event-id'] = watch.lastEventId;
      const response = await t.fetch(t.url(`/jobs/${encodeURIComponent(watch.id)}/events`), { headers, signal: connection.signal, cache: 'no-store' });
      if (!response.ok || !response.body || !response.headers.get('content-type')?.includes('text/event-stream')) {
        await response.body?.cancel().catch(() => undefined);
        // Busy or restarting: try the stream again. Anything else (no such route, no such job,
        // not allowed): polling takes over, and its GET reports the job's own errors.
        return response.status === 429 || response.status >= 500 ? 'failed' : 'unsupported';
      }
      await readEvents(
        response.body,
        (event) => {
          if (event.id !== undefined) watch.lastEventId = event.id;
          if (event.event !== 'job') return;
          received = true;
          remember(fromWire(JSON.parse(event.data)) as VideoJob);
        },
      );
    } catch {
      // Network error or a bad event: reconnect (below).
    } finally {
      signal.removeEventListener('abort', abort);
      connection.abort();
    }
    if (received) return 'ended';
    // A stream that ended without a single event must not be resumed from the same point.
    delete watch.lastEventId;
    return 'failed';
  }

  function subscribe(jobId: string, listener: JobListener, onError?: JobErrorListener): () => void {
    let watch = watches.get(jobId);
    if (!watch) watches.set(jobId, (watch = { id: jobId, subscribers: new Set(), running: false }));
    clearTimeout(watch.linger);
    const subscriber = { job: listener, error: onError };
    watch.subscribers.add(subscriber);
    const known = cache.get(jobId);
    if (known) listener(known);
    start(watch);
    const w = watch;
    return () => {
      w.subscribers.delete(subscriber);
      if (w.subscribers.size) return;
      // Closing on the next tick lets a subscriber that leaves and comes straight back (React
      // StrictMode's double mount, a re-render with new props) keep the same connection.
      w.linger = setTimeout(() => {
        if (w.subscribers.size || watches.get(jobId) !== w) return;
        w.stop?.abort();
        watches.delete(jobId);
      }, 0);
    };
  }

  return { remember, subscribe, peek: (jobId: string) => cache.get(jobId) };
}

/** Exponential backoff with full jitter: a restarted server is not hit by every client at once. */
function backoffMs(failures: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
