// pnpm bench:api — the reference Express server under load (autocannon, 100 connections) while
// two real renders run, against a bare Express JSON endpoint measured in the same run.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { scriptOfSeconds } from './script-text.mjs';

const CONNECTIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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
  console.log(`ScriptSensei API benchmark — ${CONNECTIONS} connections, ${SECONDS} s each, two 600 s renders running in the server\n`);
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
  ours.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await rm(work, { recursive: true, force: true });
}
