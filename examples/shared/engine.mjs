// The job engine the example servers and the worker run, configured from the environment.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, createInMemoryJobEvents, createInProcessQueue, createKeyvJobStore, createKeyvTemplateStore, createPipeline, createVideoJobs } from '@scriptsensei/core';
import { createProviders, providersConfigFromEnv } from '@scriptsensei/adapters/providers';
import { defaultStorageDirectory } from '@scriptsensei/adapters/storage/local';

/**
 * Environment:
 *   STORAGE_DIR      where videos are kept (default $SCRIPTSENSEI_STORAGE_DIR, else ~/.local/share/scriptsensei/storage)
 *   JOBS_DB          SQLite file of the jobs (default $STORAGE_DIR/jobs.sqlite); ':memory:' keeps them in memory
 *   QUEUE            'memory' (default: one process) or 'bullmq' (Redis: API and workers in many processes)
 *   REDIS_URL        redis://… for QUEUE=bullmq (default redis://127.0.0.1:6379); or
 *   REDIS_SENTINELS=host:port,… + REDIS_SENTINEL_NAME, or REDIS_CLUSTER_NODES=host:port,… (+ REDIS_PASSWORD)
 *   REDIS_PREFIX     key prefix in Redis (default {scriptsensei})
 *   BULLMQ_LOCK_MS   how long a dead worker's attempt stays locked before another worker takes it (default 30000)
 *   BULLMQ_STALLED_INTERVAL_MS  how often workers look for such attempts (default 15000)
 *   WORKERS          renders this server runs at once (default: CPUs); 0 = API only (needs QUEUE=bullmq)
 *   CONCURRENCY      renders a worker process runs at once (default: CPUs)
 *   RETENTION_MS     how long finished jobs and their videos are kept (default 86400000, 24 h)
 *   SWEEP_INTERVAL_MS how often workers sweep expired jobs, orphaned videos and abandoned temp dirs (default: retention/4, ≤ 60 s)
 *   API_KEYS         key1:user1,key2:user2 — turns bearer auth on
 *   JWT_SECRET / JWKS_URL (+ JWT_ISSUER, JWT_AUDIENCE) — JWT bearer auth
 *   RATE_LIMIT       jobs a user may create per minute (default 60; 0 = off)
 *   RATE_LIMIT_REDIS_URL  share that budget between servers through Redis
 *   WEBHOOK_SECRET   whsec_… — signs webhooks
 *   WEBHOOK_ALLOW_PRIVATE=1 — also deliver to loopback/private addresses (receivers on your network)
 *   PUBLIC_BASE_URL  public origin (behind a TLS proxy), for video_url in answers and webhooks
 *   TRUST_PROXY=1    rate-limit anonymous clients by X-Forwarded-For (behind a proxy)
 *   CORS_ORIGINS     comma-separated origins, or *
 *   VIDEO_LINK_SECRET with auth on, the key of signed video_url links (default: derived from JWT_SECRET/API_KEYS)
 *   VIDEO_LINK_TTL_SECONDS how long a signed video_url plays (default 86400)
 *   STRICT_VOICE_PROVIDER=1 — refuse unconfigured voice_provider with 422
 *   STORAGE_REDIRECT=0 — stream videos through the API even when the storage has http(s) URLs (default: 302 to a fresh presigned URL)
 *   METRICS_TOKEN    when set, GET /metrics needs Authorization: Bearer <it>
 * Providers (docs/providers.md lists each one's variables):
 *   TTS_PROVIDER     the voice of jobs naming none: azure | google | elevenlabs | openai | espeak
 *                    (default espeak); every provider whose key is set can be picked per job
 *                    with voice_provider
 *   AZURE_SPEECH_KEY + AZURE_SPEECH_REGION (or AZURE_SPEECH_ENDPOINT); GOOGLE_TTS_API_KEY or
 *   GOOGLE_APPLICATION_CREDENTIALS; ELEVENLABS_API_KEY; OPENAI_API_KEY (+ OPENAI_BASE_URL)
 *   IMAGE_PROVIDER   slides (default) | openai | stability | pexels (PEXELS_API_KEY, PEXELS_MEDIA=photos|videos|auto)
 *   STORAGE_PROVIDER local (default, STORAGE_DIR) | s3 (S3_BUCKET, S3_ENDPOINT, …) | gcs (GCS_BUCKET, …)
 */

/** A whole number from the environment, or `fallback`; anything else is a configuration error naming the variable. */
export function envInteger(env, name, fallback, min = 0) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigurationError(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

/**
 * The store, queue and event bus the environment asks for, the pipeline's artifact-cache index,
 * and `templates()`, which opens the users' template store (API servers only: workers never
 * open it) beside the jobs: in the same SQLite file, in memory, or in Redis.
 */
export async function createBackends(env = process.env) {
  const queueKind = env.QUEUE ?? 'memory';
  const storageDir = env.STORAGE_DIR || defaultStorageDirectory(env);
  mkdirSync(storageDir, { recursive: true });
  if (queueKind === 'bullmq') {
    const { createRedisBackends, createRedisCacheIndex, createRedisTemplateStore, redisConnectionFromEnv } = await import('@scriptsensei/adapters/bullmq');
    const connection = redisConnectionFromEnv(env) ?? 'redis://127.0.0.1:6379';
    const prefix = env.REDIS_PREFIX || undefined;
    const lockDurationMs = envInteger(env, 'BULLMQ_LOCK_MS', undefined, 1000);
    const stalledIntervalMs = envInteger(env, 'BULLMQ_STALLED_INTERVAL_MS', undefined, 500);
    return {
      ...createRedisBackends({ connection, prefix, lockDurationMs, stalledIntervalMs }),
      cacheIndex: createRedisCacheIndex(connection, { namespace: `${prefix ?? 'scriptsensei'}-cache` }),
      templates: () => createRedisTemplateStore({ connection, prefix }),
      storageDir,
      queueKind,
    };
  }
  if (queueKind !== 'memory') throw new ConfigurationError(`QUEUE must be "memory" or "bullmq", got "${queueKind}"`);
  const file = env.JOBS_DB ?? join(storageDir, 'jobs.sqlite');
  if (file === ':memory:') {
    return { store: createKeyvJobStore(), queue: createInProcessQueue(), events: createInMemoryJobEvents(), templates: () => createKeyvTemplateStore(), storageDir, queueKind };
  }
  const { default: Keyv } = await import('keyv');
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const sqlite = async (table, namespace) => {
    const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, table, busyTimeout: 5000, iterationLimit: 1000 });
    // Write-ahead log, synced at checkpoints: a commit survives a crash of the process (not
    // necessarily of the machine's power), and a job write costs no fsync of its own.
    await adapter.query('PRAGMA journal_mode=WAL');
    await adapter.query('PRAGMA synchronous=NORMAL');
    return new Keyv({ store: adapter, namespace });
  };
  return {
    store: createKeyvJobStore({ keyv: await sqlite('jobs', 'jobs') }),
    queue: createInProcessQueue(),
    events: createInMemoryJobEvents(),
    cacheIndex: await sqlite('artifacts', 'artifacts'),
    templates: async () => createKeyvTemplateStore({ keyv: await sqlite('templates', 'templates') }),
    storageDir,
    queueKind,
  };
}

/**
 * The pipeline with the providers the environment configures (embedded by default: espeak-ng,
 * slides, local storage in `storageDir`; see `providersConfigFromEnv`), with an artifact cache
 * over `cacheIndex`.
 */
export function createEnvPipeline({ storageDir, cacheIndex }, env = process.env) {
  const config = providersConfigFromEnv(env);
  if (config.storage?.provider === 'local') config.storage.directory = storageDir;
  return createPipeline({
    ...createProviders(config, env),
    cache: cacheIndex ? { keyv: cacheIndex } : true,
  });
}

/** The engine an API server runs: producer, plus `WORKERS` renders at once in this process. */
export async function createEngine(env = process.env) {
  const backends = await createBackends(env);
  const workers = envInteger(env, 'WORKERS', envInteger(env, 'CONCURRENCY', availableParallelism(), 1));
  if (workers === 0 && backends.queueKind !== 'bullmq') {
    throw new ConfigurationError('WORKERS=0 needs QUEUE=bullmq: with the in-process queue no other process could run the jobs');
  }
  const { store, queue, events } = backends;
  const jobs = await createVideoJobs({
    pipeline: createEnvPipeline(backends, env),
    store,
    queue,
    events,
    concurrency: workers,
    ...retentionFromEnv(env),
  });
  const templates = await backends.templates();
  return { jobs, apiOptions: { ...(await apiOptionsFromEnv(env)), templates }, queueKind: backends.queueKind, queue, templates };
}

/** Retention and sweep settings, shared by servers and workers. */
export function retentionFromEnv(env) {
  return { retentionMs: envInteger(env, 'RETENTION_MS', undefined, 1000), sweepIntervalMs: envInteger(env, 'SWEEP_INTERVAL_MS', undefined, 100) };
}

async function apiOptionsFromEnv(env) {
  // Imported here, not at the top: workers also load this module and need none of the HTTP stack.
  const { parseApiKeys } = await import('@scriptsensei/adapters/http');
  const rate = envInteger(env, 'RATE_LIMIT', 60);
  let limiter;
  if (rate > 0 && env.RATE_LIMIT_REDIS_URL) {
    const { Redis } = await import('ioredis');
    const { RateLimiterRedis } = await import('rate-limiter-flexible');
    limiter = new RateLimiterRedis({ storeClient: new Redis(env.RATE_LIMIT_REDIS_URL), keyPrefix: `${env.REDIS_PREFIX || 'scriptsensei'}:jobs-rate`, points: rate, duration: 60 });
  }
  return {
    auth: {
      apiKeys: parseApiKeys(env.API_KEYS),
      jwt: env.JWT_SECRET || env.JWKS_URL ? { secret: env.JWT_SECRET, jwksUrl: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE } : undefined,
    },
    rateLimit: rate > 0 ? { points: rate, durationSeconds: 60, limiter } : false,
    webhooks: env.WEBHOOK_SECRET ? { secret: env.WEBHOOK_SECRET, allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE === '1' } : undefined,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    trustProxy: env.TRUST_PROXY === '1',
    corsOrigins: env.CORS_ORIGINS ? (env.CORS_ORIGINS === '*' ? '*' : env.CORS_ORIGINS.split(',')) : undefined,
    strictVoiceProvider: env.STRICT_VOICE_PROVIDER === '1',
    redirectToStorage: env.STORAGE_REDIRECT !== '0',
    videoLinks: { secret: env.VIDEO_LINK_SECRET || undefined, ttlSeconds: envInteger(env, 'VIDEO_LINK_TTL_SECONDS', undefined, 60) },
  };
}

/**
 * Prometheus metrics of `jobs` as an Express/Node handler for `GET /metrics`, guarded by
 * METRICS_TOKEN when it is set.
 */
export async function metricsHandler(jobs, env = process.env) {
  const { createJobMetrics } = await import('@scriptsensei/adapters/metrics');
  const metrics = createJobMetrics(jobs);
  const token = env.METRICS_TOKEN;
  const allowed = (authorization) => !token || authorization === `Bearer ${token}`;
  return {
    metrics,
    /** Web-standard (Hono, fetch servers). */
    fetch: (request) => (allowed(request.headers.get('authorization') ?? undefined) ? metrics.fetch() : new Response('Unauthorized\n', { status: 401 })),
    /** Node/Express `(req, res)`. */
    async node(req, res) {
      if (!allowed(req.headers.authorization)) {
        res.statusCode = 401;
        return res.end('Unauthorized\n');
      }
      const response = await metrics.fetch();
      res.setHeader('content-type', response.headers.get('content-type'));
      res.end(await response.text());
    },
  };
}
