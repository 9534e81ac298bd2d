// The job engine both example servers run, configured from the environment.
import { mkdirSync } from 'node:fs';
import { createKeyvJobStore, createPipeline, createVideoJobs } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { parseApiKeys } from '@scriptsensei/adapters/http';

/**
 * Environment:
 *   STORAGE_DIR      where videos are kept (default ./storage)
 *   JOBS_DB          SQLite file for durable jobs (needs @keyv/sqlite); default: in memory
 *   QUEUE            'memory' (default); 'bullmq' once the Redis backend lands
 *   CONCURRENCY      renders at once (default: CPUs)
 *   API_KEYS         key1:user1,key2:user2 — turns bearer auth on
 *   JWT_SECRET / JWKS_URL (+ JWT_ISSUER, JWT_AUDIENCE) — JWT bearer auth
 *   RATE_LIMIT       jobs a user may create per minute (default 60; 0 = off)
 *   RATE_LIMIT_REDIS_URL  share that budget between servers through Redis
 *   WEBHOOK_SECRET   whsec_… — signs webhooks
 *   WEBHOOK_ALLOW_PRIVATE=1 — also deliver to loopback/private addresses (receivers on your network)
 *   PUBLIC_BASE_URL  public origin, for video_url in webhooks
 *   TRUST_PROXY=1    rate-limit anonymous clients by X-Forwarded-For (behind a proxy)
 *   CORS_ORIGINS     comma-separated origins, or *
 *   STRICT_VOICE_PROVIDER=1 — refuse unconfigured voice_provider with 422
 */
export async function createEngine(env = process.env) {
  if (env.QUEUE && env.QUEUE !== 'memory') {
    throw new Error(`QUEUE=${env.QUEUE} is not available yet; use QUEUE=memory (the default)`);
  }
  const storageDir = env.STORAGE_DIR ?? 'storage';
  mkdirSync(storageDir, { recursive: true });
  const pipeline = createPipeline({
    tts: createEspeakTTS(),
    images: createSlides(),
    storage: createLocalStorage({ directory: storageDir }),
    cache: true,
  });
  let store;
  if (env.JOBS_DB) {
    const { default: Keyv } = await import('keyv');
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    store = createKeyvJobStore({
      keyv: new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${env.JOBS_DB}`, table: 'jobs', iterationLimit: 1000 }), namespace: 'jobs' }),
    });
  }
  const jobs = await createVideoJobs({ pipeline, store, concurrency: env.CONCURRENCY ? Number(env.CONCURRENCY) : undefined });
  const rate = env.RATE_LIMIT === undefined ? 60 : Number(env.RATE_LIMIT);
  let limiter;
  if (rate > 0 && env.RATE_LIMIT_REDIS_URL) {
    const { Redis } = await import('ioredis');
    const { RateLimiterRedis } = await import('rate-limiter-flexible');
    limiter = new RateLimiterRedis({ storeClient: new Redis(env.RATE_LIMIT_REDIS_URL), keyPrefix: 'scriptsensei:jobs-rate', points: rate, duration: 60 });
  }
  const apiOptions = {
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
  };
  return { jobs, apiOptions };
}
