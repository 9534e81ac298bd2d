// pnpm bench:jobs — the job engine's own costs: submit latency, no-op throughput, overhead per
// real render, and memory after many jobs; each against a bare p-queue baseline in the same run.
import { availableParallelism } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PQueue from 'p-queue';
import { createPipeline, createVideoJobs } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { noopPipeline } from './noop-pipeline.mjs';
import { scriptOfSeconds } from './script-text.mjs';

const N_SUBMIT = 10_000;
const N_THROUGHPUT = 20_000;
const N_HEAP = 100_000;
const fmt = (n, d = 2) => Number(n).toFixed(d);
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const gcHeapMB = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const verdict = (ok) => (ok ? 'MET' : 'MISSED');

const work = await mkdtemp(join(tmpdir(), 'scriptsensei-bench-jobs-'));
const storage = createLocalStorage({ directory: work });
const real = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage });
const noop = noopPipeline(work);
console.log(`ScriptSensei job engine benchmark — ${availableParallelism()} CPUs, Node ${process.version}\n`);

async function whenAllDone(jobs, count) {
  await new Promise((resolve) => {
    let done = 0;
    const tick = () => ++done === count && resolve();
    jobs.on('succeeded', tick);
    jobs.on('failed', tick);
  });
}

// 1. Submit latency, idle engine, vs the bare cost of adding a task to p-queue.
// Each submit waits for the next turn of the event loop, as requests arriving over HTTP do: a
// loop of submits that never yields would starve every I/O callback, renders' included.
async function submitLatencies(jobs, n) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    await new Promise(setImmediate);
    const t = performance.now();
    await jobs.submit({ script: `Job number ${i}.` }, { userId: `user-${i % 50}` });
    samples.push(performance.now() - t);
  }
  return samples;
}
{
  const jobs = await createVideoJobs({ pipeline: noop });
  const ours = await submitLatencies(jobs, N_SUBMIT);
  await jobs.close();
  const queue = new PQueue({ concurrency: availableParallelism() });
  const base = [];
  for (let i = 0; i < N_SUBMIT; i++) {
    await new Promise(setImmediate);
    const t = performance.now();
    void queue.add(async () => undefined);
    await Promise.resolve();
    base.push(performance.now() - t);
  }
  await queue.onIdle();
  console.log(`submit latency, ${N_SUBMIT} submits (validation + store + enqueue):`);
  console.log(`  ours p50 ${fmt(percentile(ours, 50), 3)} ms  p99 ${fmt(percentile(ours, 99), 3)} ms   target p99 < 2 ms ${verdict(percentile(ours, 99) < 2)}`);
  console.log(`  bare p-queue add p50 ${fmt(percentile(base, 50), 4)} ms  p99 ${fmt(percentile(base, 99), 4)} ms\n`);
}

// 2. Submit latency while two real renders run in the same process.
{
  const jobs = await createVideoJobs({ pipeline: real, concurrency: 2 });
  const renders = [0, 1].map((i) => jobs.submit({ script: scriptOfSeconds(60), title: `Render ${i}` }));
  const ids = (await Promise.all(renders)).map((j) => j.id);
  const probe = await createVideoJobs({ pipeline: noop });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const samples = [];
  for (;;) {
    const states = await Promise.all(ids.map((id) => jobs.get(id)));
    if (states.every((j) => j.status !== 'processing' && j.status !== 'pending')) break;
    samples.push(...(await submitLatencies(probe, 200)));
  }
  await probe.close();
  await jobs.close();
  console.log(`submit latency while two 60 s renders run (${samples.length} submits):`);
  console.log(`  p50 ${fmt(percentile(samples, 50), 3)} ms  p99 ${fmt(percentile(samples, 99), 3)} ms   target p99 < 5 ms ${verdict(percentile(samples, 99) < 5)}\n`);
}

// 3. No-op throughput: submit-to-success for many jobs, vs bare p-queue tasks.
{
  const jobs = await createVideoJobs({ pipeline: noop });
  const t = performance.now();
  const all = whenAllDone(jobs, N_THROUGHPUT);
  for (let i = 0; i < N_THROUGHPUT; i++) await jobs.submit({ script: `No-op ${i}.` });
  await all;
  const seconds = (performance.now() - t) / 1000;
  await jobs.close();
  const queue = new PQueue({ concurrency: availableParallelism() });
  const tb = performance.now();
  for (let i = 0; i < N_THROUGHPUT; i++) void queue.add(async () => undefined);
  await queue.onIdle();
  const baseSeconds = (performance.now() - tb) / 1000;
  console.log(`no-op job throughput, ${N_THROUGHPUT} jobs through pending → processing → success:`);
  console.log(`  ours ${fmt(N_THROUGHPUT / seconds, 0)} jobs/s   target ≥ 20000 ${verdict(N_THROUGHPUT / seconds >= 20000)}`);
  console.log(`  bare p-queue ${fmt(N_THROUGHPUT / baseSeconds, 0)} tasks/s (ratio ${fmt(baseSeconds / seconds, 3)})\n`);
}

// 4. Engine overhead around a real render: time not spent inside pipeline.run.
{
  let inside = 0;
  const timed = { ...real, run: async (...args) => {
    const t = performance.now();
    try { return await real.run(...args); } finally { inside += performance.now() - t; }
  } };
  const jobs = await createVideoJobs({ pipeline: timed, concurrency: 1 });
  const t = performance.now();
  const runs = 3;
  const all = whenAllDone(jobs, runs);
  for (let i = 0; i < runs; i++) await jobs.submit({ script: scriptOfSeconds(30), title: `Overhead ${i}` });
  await all;
  const total = performance.now() - t;
  await jobs.close();
  const overhead = (total - inside) / inside;
  console.log(`engine overhead around ${runs} real 30 s renders run one after another:`);
  console.log(`  inside pipeline.run ${fmt(inside / 1000)} s, end to end ${fmt(total / 1000)} s → overhead ${fmt(overhead * 100, 3)} %   target < 1 % ${verdict(overhead < 0.01)}\n`);
}

// 5. Heap after 100,000 completed jobs: retained (24 h) and after the retention sweep.
{
  const before = gcHeapMB();
  const jobs = await createVideoJobs({ pipeline: noop, retentionMs: 60_000, sweepIntervalMs: 3_600_000 });
  const all = whenAllDone(jobs, N_HEAP);
  for (let i = 0; i < N_HEAP; i++) await jobs.submit({ script: `Heap ${i}.` }, { userId: `user-${i % 100}` });
  await all;
  const retained = gcHeapMB();
  const realNow = Date.now;
  Date.now = () => realNow() + 120_000; // let the retention window pass without waiting for it
  const swept = await jobs.sweep();
  Date.now = realNow;
  const after = gcHeapMB();
  await jobs.close();
  console.log(`heap with ${N_HEAP} completed no-op jobs (memory store):`);
  console.log(`  before ${fmt(before, 1)} MB, all retained ${fmt(retained, 1)} MB (${fmt(((retained - before) * 2 ** 20) / N_HEAP, 0)} bytes/job), ` +
    `after sweeping ${swept} ${fmt(after, 1)} MB   bounded (≤ before + 10 MB) ${verdict(after <= before + 10)}`);
}
await rm(work, { recursive: true, force: true });
