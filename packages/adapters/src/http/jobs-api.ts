import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createKeyvTemplateStore, type JobRecord, type TemplateStore, type VideoJobs } from '@scriptsensei/core';
import { createAuthenticator, type AuthOptions } from './auth.js';
import { HttpError, answerErrorsAsJson, errorBody, shapeError, toHttpError } from './http-errors.js';
import { healthRoute } from './health.js';
import { jobEventStream } from './job-events.js';
import { JOB_FILE_PATH, hlsResponse, sidecarKey, sidecarResponse, storageRedirect } from './job-files.js';
import { openApiDocument } from './openapi.js';
import { providersReport } from './providers-api.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { batchSchema, createJobSchema, listQuerySchema, summaryQuerySchema } from './schemas.js';
import { templateRoutes } from './templates-api.js';
import { createVideoLinks, type VideoLinkOptions } from './video-links.js';
import { videoResponse } from './video-response.js';
import { deliverWebhooks, type WebhookOptions } from './webhooks.js';
import { fromWire, toWire, type JobFileUrl } from './wire-format.js';

export interface JobsApiOptions {
  /** Bearer-token auth. Off when neither API keys nor a JWT key are given (then `user_id` comes from the request). */
  auth?: AuthOptions;
  /** Per-user limit on job creation; `false` turns it off. @defaultValue 60 jobs a minute */
  rateLimit?: RateLimitOptions | false;
  /** Signed webhooks for jobs that carry a `webhook_url`. Off without a secret. */
  webhooks?: WebhookOptions;
  /**
   * Names accepted in `voice_provider`. Others fall back to the default TTS with a warning on
   * the job, or are refused with 422 when `strictVoiceProvider` is set.
   * @defaultValue the ids of the pipeline's TTS providers (`jobs.providers.voices`)
   */
  voiceProviders?: string[];
  /** @defaultValue false */
  strictVoiceProvider?: boolean;
  /**
   * When the storage hands out http(s) URLs (S3 presigned, a CDN), a job's video, captions and
   * thumbnail answer `302` to a fresh one, so the bytes come from the storage, not this server,
   * and a link in a job record never goes stale. `false` streams them through this server (a
   * bucket endpoint clients cannot reach).
   * @defaultValue true
   */
  redirectToStorage?: boolean;
  /** Origins allowed by CORS (`'*'` for any). @defaultValue none (no CORS headers) */
  corsOrigins?: string[] | '*';
  /** Largest request body; larger ones get 413. @defaultValue 1048576 (1 MiB) */
  bodyLimitBytes?: number;
  /** @defaultValue 15000 */
  heartbeatMs?: number;
  /**
   * Where users' job templates (`/templates`) are kept: `createKeyvTemplateStore` over the jobs'
   * SQLite for one server, `createRedisTemplateStore` for many.
   * @defaultValue in memory (lost at restart)
   */
  templates?: TemplateStore;
  /** With auth on: signed links to a job's files that open without a token (see `createVideoLinks`). */
  videoLinks?: VideoLinkOptions;
  /** Path the API is mounted at, used in the files' URLs (`video_url`, …). @defaultValue '/api/v1' */
  basePath?: string;
  /**
   * Public origin of the server (e.g. `https://videos.example.com`), for the files' URLs
   * (`video_url`, …) in answers and webhooks and the OpenAPI document's server. Set it behind a
   * TLS-terminating proxy, where the request this server sees says `http://` and an inner host.
   * @defaultValue the request's origin (webhooks, which have no request, then carry paths only)
   */
  publicBaseUrl?: string;
  /**
   * With auth off, anonymous callers share a rate-limit budget per client address; behind a
   * proxy, take that address from the first `X-Forwarded-For` entry.
   * @defaultValue false
   */
  trustProxy?: boolean;
}

export interface JobsApi {
  /**
   * The API as a web-standard handler: paths are relative to where it is mounted. Node servers
   * pass their bindings as `env` (`@hono/node-server` does): the client's address, which the
   * rate limit keys anonymous callers by, comes from there.
   */
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
  /** The Hono app, for mounting in a Hono server with `app.route(basePath, api.app)`. */
  app: Hono;
  /** Stops webhook delivery. */
  close(): void;
}

type Vars = { Variables: { user: string | undefined; signedJob?: string } };

/**
 * The job API of the original service (same paths and snake_case payloads) and what we added:
 * SSE, video streaming with Range, retry, batch, summary stats, auth, rate limits, webhooks and
 * an OpenAPI document. Framework-agnostic: a web-standard `fetch` handler, mounted in Express by
 * `createJobsRouter` and in Hono or any fetch-based server directly.
 */
export function createJobsApi(jobs: VideoJobs, options: JobsApiOptions = {}): JobsApi {
  const authenticate = createAuthenticator(options.auth);
  const limit = options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit ?? {});
  // A job engine over a stand-in pipeline (tests, custom engines) may name no providers.
  const configured = jobs.providers?.voices.map((v) => v.provider).filter((id): id is string => typeof id === 'string');
  const voiceProviders = (options.voiceProviders ?? (configured?.length ? configured : ['espeak'])).map((v) => v.toLowerCase());
  const basePath = (options.basePath ?? '/api/v1').replace(/\/+$/, '');
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const links = authenticate.enabled ? createVideoLinks(options.auth, options.videoLinks) : undefined;
  const fileUrl =
    (origin: string): JobFileUrl =>
    (job, file) =>
      `${origin}${basePath}/jobs/${encodeURIComponent(job.id)}/${file}${links?.sign(job.id) ?? ''}`;
  const publicOrigin = options.publicBaseUrl?.replace(/\/+$/, '');
  const wire = (c: Context) => {
    const toUrl = fileUrl(publicOrigin ?? new URL(c.req.url).origin);
    return (job: JobRecord) => toWire(job, toUrl);
  };
  const webhookUrl = fileUrl(publicOrigin ?? '');
  const stopWebhooks = options.webhooks ? deliverWebhooks(jobs, (job) => toWire(job, webhookUrl), options.webhooks) : () => {};

  const app = new Hono<Vars>({ strict: false });
  if (options.corsOrigins) {
    app.use('*', cors({ origin: options.corsOrigins, allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'Idempotency-Key'], exposeHeaders: ['Location', 'Retry-After'] }));
  }
  answerErrorsAsJson(app);

  // Public: health for load balancers, the API description.
  app.get('/jobs/health', healthRoute(jobs));
  // The server URL is the mount path (resolved against the document's URL) unless a public origin is known.
  app.get('/openapi.json', (c) => c.json(openApiDocument(`${publicOrigin ?? ''}${basePath}`)));

  app.use('*', async (c, next) => {
    // A signed link stands in for the token on a job's file routes (a <video> element or a
    // player fetching HLS segments cannot send one).
    const file = links && JOB_FILE_PATH.exec(c.req.path);
    const jobId = file && decodeURIComponent(file[1]!);
    if (jobId && links!.verify(jobId, c.req.query()) && !c.req.header('authorization')) c.set('signedJob', jobId);
    else c.set('user', await authenticate(c.req.header('authorization')));
    await next();
  });

  /** A job the caller may see: with auth on, other users' jobs do not exist for them. */
  const visibleJob = async (c: Context<Vars>, id: string) => {
    const job = await jobs.get(id);
    if (authenticate.enabled && job.userId !== c.get('user')) throw new HttpError(404, 'NOT_FOUND', `No job ${JSON.stringify(id)}`);
    return job;
  };

  const maxBody = options.bodyLimitBytes ?? 1_048_576;
  const readJson = async (c: Context) => {
    const text = new TextDecoder().decode(await readLimited(c.req.raw, maxBody));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HttpError(400, 'BAD_JSON', 'The body is not valid JSON');
    }
  };

  /** Validates one create-job body and submits it. `prefix` names the item in a batch. */
  async function createOne(c: Context<Vars>, body: unknown, prefix = '') {
    const parsed = createJobSchema.safeParse(body);
    if (!parsed.success) throw shapeError(parsed.error, prefix);
    const { request, options: submitOptions } = fromWire(parsed.data, c.get('user'));
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey && !prefix && submitOptions.idempotencyKey === undefined) submitOptions.idempotencyKey = idempotencyKey;
    const provider = request.voiceProvider;
    if (provider && !voiceProviders.includes(provider)) {
      if (options.strictVoiceProvider) {
        const field = `${prefix}video_request.voice_provider`;
        const message = `"${provider}" is not configured; use one of ${voiceProviders.join(', ')}`;
        throw new HttpError(422, 'VALIDATION', `Invalid request: ${field}: ${message}`, [{ field, message }]);
      }
      // The voice named belongs to the missing provider, so the default one picks its own.
      delete request.voice;
      delete request.voiceProvider;
      submitOptions.warnings = [`voice_provider "${provider}" is not configured here; narrated with "${voiceProviders[0]}" instead`];
    }
    try {
      return await jobs.submit(request, submitOptions);
    } catch (error) {
      throw toHttpError(error, prefix);
    }
  }

  /** Whose budget a creation is charged to: the token's user, else the client's address. */
  const budgetOf = (c: Context<Vars>) => c.get('user') ?? `client:${clientOf(c, options.trustProxy ?? false)}`;

  app.post('/jobs', async (c) => {
    const body = await readJson(c);
    await limit?.(budgetOf(c));
    const job = await createOne(c, body);
    return c.json(wire(c)(job), 202, { Location: `${basePath}/jobs/${job.id}` });
  });

  app.post('/jobs/batch', async (c) => {
    const parsed = batchSchema.safeParse(await readJson(c));
    if (!parsed.success) throw shapeError(parsed.error);
    const items = parsed.data.jobs;
    await limit?.(budgetOf(c), items.length);
    const toJob = wire(c);
    const results = [];
    for (const [index, item] of items.entries()) {
      try {
        results.push({ index, status: 202, job: toJob(await createOne(c, item, `jobs.${index}.`)) });
      } catch (error) {
        const http = toHttpError(error);
        results.push({ index, status: http.status, error: errorBody(http.code, http.message, http.fields, http.retryable).error });
      }
    }
    return c.json({ created: results.filter((r) => r.status === 202).length, failed: results.filter((r) => r.status !== 202).length, results });
  });

  app.get('/providers', async (c) => {
    if (!jobs.providers) throw new HttpError(404, 'NOT_FOUND', 'This job engine does not report its providers');
    const language = c.req.query('language');
    if (language !== undefined && !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(language)) {
      throw new HttpError(422, 'VALIDATION', 'Invalid request: query.language: must be a language tag such as en or en-US', [{ field: 'query.language', message: 'must be a language tag such as en or en-US' }]);
    }
    return c.json(await providersReport(jobs.providers, language));
  });

  app.get('/jobs', async (c) => {
    const parsed = listQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw shapeError(parsed.error, 'query.');
    const q = parsed.data;
    const page = await jobs.list({
      userId: authenticate.enabled ? c.get('user') : q.user_id,
      status: q.status,
      page: q.page,
      pageSize: q.page_size,
      order: q.sort,
      createdAfter: q.created_after,
      createdBefore: q.created_before,
    });
    const toJob = wire(c);
    return c.json({ jobs: page.jobs.map(toJob), total: page.total, page: page.page, page_size: page.pageSize });
  });

  app.get('/jobs/stats/counts', async (c) => {
    // With auth on, a user counts only their own jobs; without it, the whole system's (as the original).
    const counts = await jobs.counts(authenticate.enabled ? c.get('user') : undefined);
    return c.json({ ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) });
  });

  app.get('/jobs/stats/summary', async (c) => {
    const parsed = summaryQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw shapeError(parsed.error, 'query.');
    const hours = parsed.data.window_hours ?? 24;
    const since = new Date(Date.now() - hours * 3_600_000);
    const { counts, total, renderSeconds } = await jobs.summary({ since, userId: authenticate.enabled ? c.get('user') : undefined });
    const finished = counts.success + counts.failure;
    return c.json({
      window_hours: hours,
      total,
      success: counts.success,
      failure: counts.failure,
      cancelled: counts.cancelled,
      active: counts.pending + counts.processing + counts.retrying,
      success_rate: finished ? counts.success / finished : null,
      render_seconds: renderSeconds,
    });
  });

  app.route(
    '/templates',
    templateRoutes({ templates: options.templates ?? createKeyvTemplateStore(), authEnabled: authenticate.enabled, readJson, shapeError, basePath }),
  );

  app.get('/jobs/:id', async (c) => c.json(wire(c)(await visibleJob(c, c.req.param('id')))));

  app.delete('/jobs/:id', async (c) => {
    const job = await visibleJob(c, c.req.param('id'));
    return c.json(wire(c)(await jobs.cancel(job.id)));
  });

  app.post('/jobs/:id/retry', async (c) => {
    const job = await visibleJob(c, c.req.param('id'));
    return c.json(wire(c)(await jobs.retry(job.id)), 202);
  });

  app.get('/jobs/:id/events', async (c) => {
    const job = await visibleJob(c, c.req.param('id'));
    return jobEventStream(c, jobs, job, wire(c), heartbeatMs);
  });

  // Files are found through their job, so the job's owner (or a signed link) is the only way to them.
  const fileJob = async (c: Context<Vars>) => {
    const id = c.req.param('id')!;
    return c.get('signedJob') === id ? jobs.get(id) : visibleJob(c, id);
  };
  const redirects = options.redirectToStorage ?? true;
  const serveVideo = async (c: Context<Vars>) => {
    const { key } = await jobs.video((await fileJob(c)).id);
    return (redirects && (await storageRedirect(jobs.storage, key))) || videoResponse(jobs.storage, key, c.req.header('range'), c.req.method === 'HEAD');
  };
  app.get('/jobs/:id/video', serveVideo);
  app.on('HEAD', '/jobs/:id/video', serveVideo);
  for (const file of ['captions.srt', 'captions.vtt', 'thumbnail.jpg']) {
    app.get(`/jobs/:id/${file}`, async (c) => {
      const job = await fileJob(c);
      const key = redirects ? sidecarKey(job, file) : undefined;
      return (key && (await storageRedirect(jobs.storage, key))) || sidecarResponse(jobs.storage, job, file, c.req.header('range'));
    });
  }
  app.get('/jobs/:id/hls/:file', async (c) => {
    const job = await fileJob(c);
    return hlsResponse(jobs.storage, job, c.req.param('file'), c.req.header('range'), links?.sign(job.id));
  });

  return { fetch: (request, env) => app.fetch(request, env), app: app as unknown as Hono, close: stopWebhooks };
}

/** How much of an oversized body is read and dropped, so the client can still read the 413. */
const DRAIN_FACTOR = 8;

/**
 * The request body, at most `limit` bytes, else a 413. An oversized body is read to its end
 * (up to `DRAIN_FACTOR` × `limit`) before answering: a server that answers while the client is
 * still sending makes many clients see a reset connection instead of the 413.
 */
async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new HttpError(413, 'TOO_LARGE', `The body is larger than ${limit} bytes`);
  if (Number(request.headers.get('content-length') ?? 0) > limit * DRAIN_FACTOR) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (size > limit * DRAIN_FACTOR) break;
  }
  if (size > limit) throw tooLarge();
  return Buffer.concat(chunks);
}

/** The client's address: the socket's (Node servers), or the first proxy hop when trusted. */
function clientOf(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not served by a Node server (e.g. called with a bare Request in tests).
    return 'unknown';
  }
}
