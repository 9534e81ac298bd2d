import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JOB_STATUSES, type JobRecord, type VideoJobs } from '@scriptsensei/core';

export interface JobMetricsOptions {
  /** Where the metrics are registered. @defaultValue a new registry */
  registry?: Registry;
  /** Also export Node process metrics (CPU, memory, event-loop lag). @defaultValue true */
  processMetrics?: boolean;
  /** Metric name prefix. @defaultValue 'scriptsensei_' */
  prefix?: string;
}

export interface JobMetrics {
  registry: Registry;
  /** A web-standard handler answering the Prometheus text format. */
  fetch(request?: Request): Promise<Response>;
  /** Stops listening to the engine's events. */
  close(): void;
}

const SECONDS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];

/**
 * Prometheus metrics of a job engine, what Grafana and an autoscaler (KEDA, HPA) read:
 * jobs by state, queue depth, workers and their slots (read at scrape time from the store and
 * the queue), render and stage durations and failures by error code (from the engine's events,
 * which carry every process's jobs). With several API processes, each counts every job: sum
 * gauges from one instance, and read counters with `max without (instance)`.
 */
export function createJobMetrics(jobs: VideoJobs, options: JobMetricsOptions = {}): JobMetrics {
  const registry = options.registry ?? new Registry();
  const p = options.prefix ?? 'scriptsensei_';
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: p });

  new Gauge({
    name: `${p}jobs`,
    help: 'Jobs in the store by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await jobs.counts();
      for (const state of JOB_STATUSES) this.set({ state }, counts[state]);
    },
  });
  let queueStats: ReturnType<VideoJobs['queueStats']> | undefined;
  // One queue read per scrape: the gauges' collect() calls all start together and share it.
  const stats = () =>
    (queueStats ??= jobs.queueStats().finally(() => {
      queueStats = undefined;
    }));
  type QueueStats = Awaited<ReturnType<VideoJobs['queueStats']>>;
  const queueGauges: [name: string, help: string, read: (stats: QueueStats) => number][] = [
    ['queue_waiting', 'Attempts waiting to run (delayed retries included): the depth an autoscaler scales workers on', (s) => s.waiting],
    ['queue_running', 'Attempts running on every worker', (s) => s.running],
    ['workers', 'Worker processes seen in the last heartbeats', (s) => s.workers.length],
    ['worker_slots', 'Renders the workers seen can run at once (sum of their concurrency)', (s) => s.workers.reduce((sum, w) => sum + w.concurrency, 0)],
  ];
  for (const [name, help, read] of queueGauges) {
    new Gauge({
      name: `${p}${name}`,
      help,
      registers: [registry],
      async collect() {
        this.set(read(await stats()));
      },
    });
  }

  const renders = new Histogram({ name: `${p}render_duration_seconds`, help: 'Start to finish of successful attempts', buckets: SECONDS, registers: [registry] });
  const stages = new Histogram({ name: `${p}stage_duration_seconds`, help: 'Time spent in each pipeline stage', labelNames: ['stage'], buckets: SECONDS, registers: [registry] });
  const finished = new Counter({ name: `${p}jobs_finished_total`, help: 'Jobs that reached a final state', labelNames: ['state'], registers: [registry] });
  const failures = new Counter({ name: `${p}job_failures_total`, help: 'Failed attempts by error code (retried ones included)', labelNames: ['code'], registers: [registry] });

  /** The stage each running job is in, and since when (ms), to time stages from progress events. */
  const current = new Map<string, { stage: string; since: number }>();
  const track = (job: JobRecord, final: boolean) => {
    const at = Date.parse(job.updatedAt);
    const before = current.get(job.id);
    if (before && (before.stage !== job.stage || final)) stages.observe({ stage: before.stage }, Math.max(0, at - before.since) / 1000);
    if (final) current.delete(job.id);
    else if (!before || before.stage !== job.stage) current.set(job.id, { stage: job.stage, since: at });
  };
  const onProgress = (job: JobRecord) => {
    if (job.status === 'processing' && job.stage !== 'queued') track(job, false);
  };
  const onSucceeded = (job: JobRecord) => {
    track(job, true);
    finished.inc({ state: 'success' });
    if (job.startedAt && job.finishedAt) renders.observe((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000);
  };
  const onFailed = (job: JobRecord) => {
    track(job, true);
    finished.inc({ state: 'failure' });
    failures.inc({ code: job.error?.code ?? 'UNKNOWN' });
  };
  const onRetrying = (job: JobRecord) => {
    track(job, true);
    failures.inc({ code: job.error?.code ?? 'UNKNOWN' });
  };
  const onCancelled = (job: JobRecord) => {
    current.delete(job.id);
    finished.inc({ state: 'cancelled' });
  };
  jobs.on('progress', onProgress);
  jobs.on('succeeded', onSucceeded);
  jobs.on('failed', onFailed);
  jobs.on('retrying', onRetrying);
  jobs.on('cancelled', onCancelled);

  return {
    registry,
    async fetch() {
      return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
    },
    close() {
      jobs.off('progress', onProgress);
      jobs.off('succeeded', onSucceeded);
      jobs.off('failed', onFailed);
      jobs.off('retrying', onRetrying);
      jobs.off('cancelled', onCancelled);
    },
  };
}
