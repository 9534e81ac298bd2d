// pnpm bench:distributed — the BullMQ backend on the Redis at REDIS_URL (default 127.0.0.1:6379):
//  1. no-op job throughput and submit→start latency through our engine, against raw BullMQ
//     (Queue.add + Worker) measured in the same run, same Redis, same concurrency;
//  2. throughput with 1, 2 and 4 worker processes;
//  3. submit latency through the API (WORKERS=0) while two worker processes render real videos.
// Every run uses its own key prefix and deletes its keys afterwards.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createJobWorker, createVideoJobs } from '@scriptsensei/core';
import { createRedisBackends } from '@scriptsensei/adapters/bullmq';
import { noopPipeline } from './noop-pipeline.mjs';
import { openLoop } from './open-loop.mjs';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_JOBS ?? 2000);
const CONCURRENCY = 16;
const SAMPLES = 200;
const fmt = (n, d = 2) => Number(n).toFixed(d);
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const redis = new Redis(REDIS_URL);
const prefixes = [];
const newPrefix = () => {
  const prefix = `{bench-${randomUUID().slice(0, 8)}}`;
  prefixes.push(prefix);
  return prefix;
};
const work = await mkdtemp(join(tmpdir(), 'scriptsensei-bench-distributed-'));
const children = [];

/** Submits `count` jobs, `batch` at a time; resolves when `count` have finished. */
async function flood(submit, finishedCount, count, batch = 100) {
  const started = performance.now();
  for (let i = 0; i < count; i += batch) await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => submit(i + j)));
  await finishedCount(count);
  return count / ((performance.now() - started) / 1000);
}

const counter = () => {
  let n = 0;
  const waiters = [];
  return {
    tick() {
      n += 1;
      for (const w of waiters.splice(0)) w();
    },
    async reach(target) {
      while (n < target) await new Promise((resolve) => waiters.push(resolve));
    },
  };
};

async function rawBullmq() {
  const prefix = newPrefix();
  // Auto-pipelining on the producer's connection, as our backend has.
  const connections = [new Redis(REDIS_URL, { enableAutoPipelining: true }), new Redis(REDIS_URL, { maxRetriesPerRequest: null })];
  const queue = new Queue('raw', { connection: connections[0], prefix });
  const done = counter();
  const starts = new Map();
  const worker = new Worker('raw', async (job) => starts.get(job.id)?.(), { connection: connections[1], prefix, concurrency: CONCURRENCY });
  worker.on('completed', () => done.tick());
  await worker.waitUntilReady();
  const throughput = await flood((i) => queue.add('job', { i }, { jobId: `t${i}`, priority: 6, removeOnComplete: true }), (n) => done.reach(n), N);
  const latency = [];
  for (let i = 0; i < SAMPLES; i++) {
    const id = `l${i}`;
    const at = performance.now();
    const started = new Promise((resolve) => starts.set(id, resolve));
    await queue.add('job', { i }, { jobId: id, priority: 6, removeOnComplete: true });
    await started;
    latency.push(performance.now() - at);
  }
  await worker.close();
  await queue.close();
  for (const connection of connections) connection.disconnect();
  return { throughput, latency };
}

async function ours() {
  const prefix = newPrefix();
  const pipeline = noopPipeline(join(work, 'storage'));
  const producer = await createVideoJobs({ pipeline, ...createRedisBackends({ connection: REDIS_URL, prefix }), concurrency: 0 });
  const workerBackends = createRedisBackends({ connection: REDIS_URL, prefix });
  const worker = await createJobWorker({ pipeline, ...workerBackends, concurrency: CONCURRENCY });
  const done = counter();
  producer.on('succeeded', () => done.tick());
  const throughput = await flood(() => producer.submit({ script: 'A no-op job.' }), (n) => done.reach(n), N);
  const latency = [];
  const starts = new Map();
  producer.on('progress', (job) => job.status === 'processing' && starts.get(job.id)?.());
  for (let i = 0; i < SAMPLES; i++) {
    const at = performance.now();
    let resolveStart;
    const started = new Promise((resolve) => (resolveStart = resolve));
    const job = await producer.submit({ script: 'A no-op job.' });
    starts.set(job.id, resolveStart);
    if ((await producer.get(job.id)).status !== 'pending') resolveStart();
    await started;
    latency.push(performance.now() - at);
  }
  await worker.close();
  // A worker leaves the backends it was given open; the producer closes its own.
  await Promise.all([workerBackends.queue.close(), workerBackends.events.close(), workerBackends.store.close()]);
  await producer.close();
  return { throughput, latency };
}

function startChild(args, env) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      for (const line of buffer.split('\n').slice(0, -1)) {
        if (line.includes('"ready"') || line.includes('job API listening') || line.includes('worker started')) resolve({ child, line: JSON.parse(line) });
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
  });
}

const stop = async (child) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
};

async function workerProcesses(count) {
  const prefix = newPrefix();
  const workers = await Promise.all(Array.from({ length: count }, () => startChild(['bench/noop-worker.mjs'], { REDIS_URL, REDIS_PREFIX: prefix, CONCURRENCY: '8' })));
  const producer = await createVideoJobs({ pipeline: noopPipeline(join(work, 'storage')), ...createRedisBackends({ connection: REDIS_URL, prefix }), concurrency: 0 });
  const done = counter();
  producer.on('succeeded', () => done.tick());
  const throughput = await flood(() => producer.submit({ script: 'A no-op job.' }), (n) => done.reach(n), N);
  await producer.close();
  for (const { child } of workers) await stop(child);
  return throughput;
}

async function apiSubmitLatency() {
  const prefix = newPrefix();
  const env = { QUEUE: 'bullmq', REDIS_URL, REDIS_PREFIX: prefix, STORAGE_DIR: join(work, 'api-storage'), RATE_LIMIT: '0', LOG_LEVEL: 'warn', CONCURRENCY: '1' };
  const workers = await Promise.all([0, 1].map(() => startChild(['examples/worker/worker.mjs'], { ...env, LOG_LEVEL: 'info' })));
  const api = await startChild(['examples/express-server/server.mjs'], { ...env, WORKERS: '0', PORT: '0', LOG_LEVEL: 'info' });
  const base = `${api.line.url}/api/v1`;
  // Keep both workers rendering while the submits are measured.
  for (let i = 0; i < 4; i++) {
    await fetch(`${base}/jobs/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ video_request: { script_content: 'A render that keeps a worker busy. '.repeat(60) }, priority: 10 }) });
  }
  const result = await openLoop(`${base}/jobs/`, { method: 'POST', rate: 50, seconds: 10, okStatus: 202, body: { video_request: { script_content: 'Submitted while others render.' }, priority: 1 } });
  for (const { child } of [api, ...workers]) await stop(child);
  return result;
}

try {
  console.log(`ScriptSensei distributed benchmark — BullMQ on ${REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')}, ${N} no-op jobs, concurrency ${CONCURRENCY}\n`);
  const raw = await rawBullmq();
  const mine = await ours();
  const ratio = mine.throughput / raw.throughput;
  console.log('no-op throughput, one producer and one worker in this process:');
  console.log(`  ours ${fmt(mine.throughput, 0)} jobs/s   raw BullMQ ${fmt(raw.throughput, 0)} jobs/s   ratio ${fmt(ratio)}   target ≥ 0.8 ${ratio >= 0.8 ? 'MET' : 'MISSED'}`);
  console.log(`submit → start latency, idle queue, ${SAMPLES} samples:`);
  console.log(`  ours p50 ${fmt(quantile(mine.latency, 0.5))} ms  p99 ${fmt(quantile(mine.latency, 0.99))} ms   raw BullMQ p50 ${fmt(quantile(raw.latency, 0.5))} ms  p99 ${fmt(quantile(raw.latency, 0.99))} ms\n`);
  console.log('no-op throughput with worker processes (8 attempts at once each), producer in this process:');
  for (const count of [1, 2, 4]) console.log(`  ${count} worker process${count === 1 ? ' ' : 'es'}: ${fmt(await workerProcesses(count), 0)} jobs/s`);
  const api = await apiSubmitLatency();
  console.log(`\nsubmit through the API (WORKERS=0), open loop at 50 req/s for 10 s, two worker processes rendering:`);
  console.log(`  POST /api/v1/jobs/ p50 ${fmt(api.p50, 1)} ms  p99 ${fmt(api.p99, 1)} ms  max ${fmt(api.max, 1)} ms  errors ${api.errors}/${api.sent}`);
} finally {
  await Promise.all(children.map(stop));
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
  await rm(work, { recursive: true, force: true });
}
