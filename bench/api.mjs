// pnpm bench:api — the reference Express server while two real renders run in it:
//  1. latency: GET /api/v1/jobs/{id} open-loop at a fixed rate over one connection, against a bare
//     Node http server measured in the same run (what an API stays like under render load);
//  2. throughput: autocannon with 100 connections (saturation), against bare Express.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openLoop } from './open-loop.mjs';
import { scriptOfSeconds } from './script-text.mjs';

const CONNECTIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const fmt = (n, d = 2) => Number(n).toFixed(d);

/** A port nobody listens on right now. */
const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/** Starts a server script in its own process on `port`; resolves once it answers. */
async function startProcess(args, env, port, probePath) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(url + probePath).then((r) => r.ok, () => false)) return { url, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

const run = (options) => new Promise((resolve, reject) => autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options }, (e, r) => (e ? reject(e) : resolve(r))));
const line = (label, r) =>
  `  ${label.padEnd(44)} ${fmt(r.requests.average, 0).padStart(7)} req/s  p50 ${fmt(r.latency.p50, 1)} ms  p99 ${fmt(r.latency.p99, 1)} ms  errors ${r.errors + r.non2xx}`;

const work = await mkdtemp(join(tmpdir(), 'scriptsensei-bench-api-'));
const bareNode = await startProcess(['-e', `
  require('node:http').createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"status":"ok"}'); })
    .listen(Number(process.env.PORT), '127.0.0.1');
`], {}, await freePort(), '/');
const bare = await startProcess(['-e', `
  const express = require('express');
  const app = express();
  app.use(express.json());
  app.post('/echo', (req, res) => res.status(202).json({ job_id: 'x', ...req.body }));
  app.get('/ping', (req, res) => res.json({ status: 'ok' }));
  app.listen(Number(process.env.PORT), '127.0.0.1');
`], {}, await freePort(), '/ping');
const ours = await startProcess(
  ['examples/express-server/server.mjs'],
  { RATE_LIMIT: '0', STORAGE_DIR: join(work, 'storage'), CONCURRENCY: '2', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  await freePort(),
  '/api/v1/jobs/health',
);
const api = `${ours.url}/api/v1`;
try {
  const body = JSON.stringify({ video_request: { user_id: 'bench', script_content: 'A short benchmark job.' }, priority: 1 });
  const renders = [];
  for (let i = 0; i < 2; i++) {
    const response = await fetch(`${api}/jobs/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ video_request: { script_content: scriptOfSeconds(600) }, priority: 10 }) });
    renders.push((await response.json()).job_id);
  }
  console.log(`ScriptSensei API benchmark — two 600 s renders running in the server\n`);
  console.log(`Latency, open loop: GET at ${RATE} req/s over one connection for ${SECONDS} s`);
  const bareLatency = await openLoop(`${bareNode.url}/`, { rate: RATE, seconds: SECONDS });
  const oursLatency = await openLoop(`${api}/jobs/${renders[0]}`, { rate: RATE, seconds: SECONDS });
  const lat = (label, r) => `  ${label.padEnd(44)} p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  max ${fmt(r.max, 1)} ms  errors ${r.errors}/${r.sent}`;
  console.log(lat('GET /api/v1/jobs/{id} (ours, renders running)', oursLatency));
  console.log(lat('GET / (bare Node http)', bareLatency));
  console.log(`  p99 ratio ours / bare Node: ${fmt(oursLatency.p99 / Math.max(bareLatency.p99, 0.1), 2)} (target: p99 ≈ 21 ms against ≈ 12 ms bare, i.e. ≤ 1.75)\n`);
  console.log(`Throughput, closed loop: ${CONNECTIONS} connections, ${SECONDS} s each`);
  // All four runs happen while both renders are still going (checked below).
  const bareCreate = await run({ url: `${bare.url}/echo`, method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const create = await run({ url: `${api}/jobs/`, method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const bareGet = await run({ url: `${bare.url}/ping` });
  const status = await run({ url: `${api}/jobs/${renders[0]}` });
  const renderState = await (await fetch(`${api}/jobs/${renders[0]}`)).json();
  console.log(line('POST /api/v1/jobs/ (ours)', create));
  console.log(line('POST /echo (bare Express + express.json)', bareCreate));
  console.log(line('GET /api/v1/jobs/{id} (ours)', status));
  console.log(line('GET /ping (bare Express)', bareGet));
  console.log(`\n  job creation p99 ${fmt(create.latency.p99, 1)} ms: target < 20 ms ${create.latency.p99 < 20 && create.errors + create.non2xx === 0 ? 'MET' : 'MISSED'}` +
    ` (ratio to bare Express p99 ${fmt(create.latency.p99 / Math.max(bareCreate.latency.p99, 0.1), 2)})`);
  console.log(`  the renders were ${renderState.status} at ${fmt(renderState.progress * 100, 0)} % while the load ran`);
} finally {
  // Wait for every server to exit before removing their storage: a server still shutting down
  // writes into it (removing it early failed with ENOTEMPTY).
  await Promise.all([ours, bare, bareNode].map(({ child }) => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))))));
  await rm(work, { recursive: true, force: true });
}
