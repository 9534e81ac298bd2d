import type { VideoJobs } from '@scriptsensei/core';
import type { Context } from 'hono';
import { shapeError } from './http-errors.js';
import { healthQuerySchema } from './schemas.js';

/**
 * `GET /jobs/health` and the root `GET /health`: 200 when every check passes, else 503 with the
 * failing check's error. `?probe=liveness` answers from the process alone, for orchestrators that
 * restart what fails it (a restart does not mend a Redis that is down).
 */
export function healthRoute(jobs: VideoJobs) {
  return async (c: Context) => {
    const parsed = healthQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw shapeError(parsed.error, 'query.');
    if (parsed.data.probe === 'liveness') return c.json({ status: 'healthy', checks: {}, workers: [] });
    const report = await jobs.health();
    const workers = report.workers.map((w) => ({ id: w.id, hostname: w.hostname, pid: w.pid, concurrency: w.concurrency, running: w.running, seen_at: w.seenAt }));
    return c.json({ status: report.ok ? 'healthy' : 'unhealthy', checks: report.checks, workers }, report.ok ? 200 : 503);
  };
}
