// `pnpm example:web`: builds the Next.js app, starts the reference job API (port 8012) and
// `next start` (port 3000), prints both URLs, and stops both on Ctrl-C.
//   API_PORT, PORT      ports (defaults 8012 and 3000)
//   SKIP_NEXT_BUILD=1   reuse the last `next build`
// Other variables (STORAGE_DIR, JOBS_DB, WORKERS, …) reach the job API: see examples/shared/engine.mjs.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const nextBin = createRequire(`${appDir}/package.json`).resolve('next/dist/bin/next');
const apiPort = Number(process.env.API_PORT ?? 8012);
const webPort = Number(process.env.PORT ?? 3000);
const webOrigins = [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`];
const nextEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

/** Runs `next <args>` in the app; resolves with the child when `wait` is false. */
function next(args, env, wait = true) {
  const child = spawn(process.execPath, [nextBin, ...args], { cwd: appDir, env, stdio: 'inherit' });
  if (!wait) return child;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve(child) : reject(new Error(`next ${args[0]} exited with ${signal ?? code}`))));
  });
}

if (process.env.SKIP_NEXT_BUILD !== '1') await next(['build'], nextEnv);

// The reference server in this process; the app calls it from the browser, so it allows the app's origin.
const { startServer } = await import('../../express-server/server.mjs');
const api = await startServer({ port: apiPort, env: { ...process.env, CORS_ORIGINS: process.env.CORS_ORIGINS ?? webOrigins.join(',') } });
const serviceUrl = `http://localhost:${apiPort}`;

const web = next(['start', '--port', String(webPort)], { ...nextEnv, NEXT_PUBLIC_VIDEO_SERVICE_URL: process.env.NEXT_PUBLIC_VIDEO_SERVICE_URL ?? serviceUrl }, false);
const webExited = new Promise((resolve) => web.once('exit', resolve));

console.log(`\n  Job API:  ${serviceUrl}/api/v1  (OpenAPI: ${serviceUrl}/api/v1/openapi.json)`);
console.log(`  Web app:  http://localhost:${webPort}/dashboard/videos/new\n  Ctrl-C stops both.\n`);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  if (web.exitCode === null && web.signalCode === null) web.kill('SIGTERM');
  await webExited;
  await api.close();
  process.exit(code);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
// If the web server dies on its own (e.g. port taken), stop the API too.
void webExited.then((code) => {
  if (!stopping) {
    console.error(`next start exited (${code}); stopping the job API`);
    void stop(1);
  }
});
