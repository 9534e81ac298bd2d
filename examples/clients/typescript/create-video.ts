/**
 * Turns a script into a narrated MP4 with a ScriptSensei server: submits a job, follows its
 * progress, downloads the video. Node ≥ 20, no dependencies beyond Node itself.
 *
 *   npx tsx create-video.ts [SCRIPT_FILE] [-o OUTPUT]     (OUTPUT defaults to video.mp4)
 *
 * Environment:
 *   SCRIPTSENSEI_URL      the server (default http://localhost:8012); the API is under /api/v1
 *   SCRIPTSENSEI_TOKEN    bearer token, when the server has auth on (API_KEYS, JWT_SECRET, JWKS_URL)
 *   SCRIPTSENSEI_USER_ID  owner of the job when auth is off (with auth on, the token decides)
 *
 * Exits 0 with the video saved; 1 when the server refuses the request, the job fails, or it
 * does not finish within DEADLINE_MS; 2 on bad arguments.
 */
import { createWriteStream } from 'node:fs';
import { readFile, rename, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

// What to render: edit to taste. An unconfigured voice_provider falls back to the server's default voice, with a warning.
const LANGUAGE = 'en-US';
const PLATFORM = 'youtube'; // youtube | tiktok | shorts | reels | instagram
const DURATION_SECONDS = 15; // a pacing hint, not a hard length
const VOICE_PROVIDER = 'espeak';
const PRIORITY = 5; // 1-10, higher runs sooner
const POLL_INTERVAL_MS = 2_000;
const DEADLINE_MS = 10 * 60_000;
const BUILT_IN_SCRIPT = 'ScriptSensei turns a written script into a narrated video.\n\nThis one was made by the TypeScript client example.';

const API = `${(process.env.SCRIPTSENSEI_URL || 'http://localhost:8012').replace(/\/+$/, '')}/api/v1`;
const TOKEN = process.env.SCRIPTSENSEI_TOKEN;
const USER_ID = process.env.SCRIPTSENSEI_USER_ID || 'example-user';

/** The parts of the server's job this program reads (the API returns more). */
interface Job {
  job_id: string;
  status: 'pending' | 'processing' | 'retrying' | 'success' | 'failure' | 'cancelled';
  progress: number; // 0..1
  stage: string;
  message: string;
  warnings: string[];
  result: { video_url: string; duration: number; size_bytes: number } | null;
  error: { code: string; message: string } | null;
}

/** Every error answer carries this; `fields` names what was wrong with the request (422). */
interface ErrorBody {
  error?: { code: string; message: string; fields?: { field: string; message: string }[] };
}

const FINAL_STATES = new Set<Job['status']>(['success', 'failure', 'cancelled']);

/** A refusal from the server, already explained on stderr. */
class ApiError extends Error {}

const deadline = Date.now() + DEADLINE_MS;
const untilDeadline = () => AbortSignal.timeout(Math.max(0, deadline - Date.now()));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withToken(init?: HeadersInit): Headers {
  const headers = new Headers(init);
  if (TOKEN) headers.set('Authorization', `Bearer ${TOKEN}`);
  return headers;
}

/**
 * `fetch` with the token, waiting out 429s for as long as the server's `Retry-After` asks.
 * Any other error status is printed (with each field at fault) and thrown.
 */
async function call(url: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const response = await fetch(url, { ...init, headers: withToken(init.headers), signal: untilDeadline() });
    if (response.ok) return response;
    if (response.status === 429) {
      // This server sends whole seconds; fall back to 5 s if a proxy sends nothing usable.
      const seconds = Number(response.headers.get('retry-after')) || 5;
      if (Date.now() + seconds * 1000 > deadline) throw new Error('rate limited past the deadline');
      console.log(`Rate limited (429): retrying in ${seconds} s`);
      await response.body?.cancel();
      await sleep(seconds * 1000);
      continue;
    }
    // Error answers are JSON; a proxy in front may answer HTML instead, so keep the raw text too.
    const text = await response.text();
    let body: ErrorBody = {};
    try {
      body = JSON.parse(text) as ErrorBody;
    } catch {
      // not JSON: printed raw below
    }
    console.error(`HTTP ${response.status} ${body.error?.code ?? response.statusText}: ${body.error?.message ?? text.slice(0, 300)}`);
    for (const issue of body.error?.fields ?? []) console.error(`  ${issue.field}: ${issue.message}`);
    throw new ApiError(`HTTP ${response.status}`);
  }
}

const getJob = async (id: string) => (await (await call(`${API}/jobs/${encodeURIComponent(id)}`)).json()) as Job;

/** Prints a job's state when it differs from the last one printed. */
let lastLine = '';
function report(job: Job): Job {
  const line = `[${Math.round(job.progress * 100)}%] ${job.status} ${job.stage}: ${job.message}`;
  if (line !== lastLine) console.log(line);
  lastLine = line;
  return job;
}

/**
 * The job's snapshots from its Server-Sent Events stream (`event: job`, one JSON job per
 * event), until the server ends the stream after a final state. Any trouble is thrown for the
 * caller to fall back to polling, which reports errors properly.
 */
async function* jobEvents(id: string): AsyncGenerator<Job> {
  const url = `${API}/jobs/${encodeURIComponent(id)}/events`;
  const response = await fetch(url, { headers: withToken({ Accept: 'text/event-stream' }), signal: untilDeadline() });
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !response.body || !type.startsWith('text/event-stream')) {
    await response.body?.cancel();
    throw new Error(response.ok ? `not an event stream: ${type}` : `HTTP ${response.status}`);
  }
  const decoder = new TextDecoder();
  let buffered = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of response.body as NodeReadableStream<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop()!; // an incomplete line waits for the next chunk
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        // A blank line ends an event. Other lines (`id:`, `: heartbeat` comments) need nothing here.
        if (event === 'job' && data.length) yield JSON.parse(data.join('\n')) as Job;
        event = '';
        data = [];
      } else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
  }
}

/** Follows the job to a final state: live over SSE, polling when the stream is unavailable or cut. */
async function follow(job: Job): Promise<Job> {
  try {
    for await (const update of jobEvents(job.job_id)) {
      job = report(update);
      if (FINAL_STATES.has(job.status)) return job;
    }
  } catch (error) {
    if (Date.now() >= deadline) throw new Error(`job ${job.job_id} did not finish within ${DEADLINE_MS / 1000} s`);
    // An older server or a proxy without SSE: the polling below gets there too.
    console.log(`No live events (${(error as Error).message}); polling every ${POLL_INTERVAL_MS / 1000} s`);
  }
  while (!FINAL_STATES.has(job.status)) {
    if (Date.now() + POLL_INTERVAL_MS > deadline) throw new Error(`job ${job.job_id} did not finish within ${DEADLINE_MS / 1000} s`);
    await sleep(POLL_INTERVAL_MS);
    job = report(await getJob(job.job_id));
  }
  return job;
}

/** `[SCRIPT_FILE] [-o OUTPUT]`, or undefined (usage printed) when the arguments make no sense. */
function commandLine(): { file: string | undefined; output: string } | undefined {
  try {
    const { positionals, values } = parseArgs({ allowPositionals: true, options: { output: { type: 'string', short: 'o', default: 'video.mp4' } } });
    if (positionals.length <= 1) return { file: positionals[0], output: values.output };
  } catch (error) {
    console.error((error as Error).message);
  }
  console.error('usage: create-video.ts [SCRIPT_FILE] [-o OUTPUT]');
  return undefined;
}

async function main(): Promise<number> {
  const args = commandLine();
  if (!args) return 2;
  const { file, output } = args;
  const name = file ? basename(file, extname(file)) : 'scriptsensei-example';
  const script = file ? await readFile(file, 'utf8') : BUILT_IN_SCRIPT;

  // The create body of the original service: its clients send exactly this.
  const body = {
    video_request: {
      script_id: name,
      user_id: USER_ID,
      title: name,
      script_content: script,
      language: LANGUAGE,
      platform: PLATFORM,
      duration: DURATION_SECONDS,
      voice_provider: VOICE_PROVIDER,
    },
    priority: PRIORITY,
  };
  console.log(`Submitting "${name}" to ${API}`);
  const created = (await (await call(`${API}/jobs/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()) as Job;
  console.log(`Job ${created.job_id} created (${created.status})`);
  for (const warning of created.warnings) console.log(`Warning: ${warning}`);

  const job = await follow(report(created));
  if (job.status !== 'success' || !job.result) {
    console.error(`Job ${job.job_id} ended in ${job.status}: ${job.error ? `${job.error.code}: ${job.error.message}` : job.message}`);
    return 1;
  }

  // With auth on, video_url is a signed link; the token goes along too, and fetch drops it if
  // the server redirects to the storage (S3, GCS) on another origin.
  console.log(`Video: ${job.result.video_url} (${job.result.duration.toFixed(1)} s)`);
  const video = await call(job.result.video_url);
  // Written beside the output first, so a cut download never looks like a finished video.
  const partial = `${output}.part`;
  await pipeline(Readable.fromWeb(video.body as NodeReadableStream<Uint8Array>), createWriteStream(partial));
  await rename(partial, output);
  console.log(`Saved ${output} (${(await stat(output)).size} bytes)`);
  return 0;
}

const reason = (error: unknown): string =>
  error instanceof Error ? `${error.message}${error.cause ? ` (${reason(error.cause)})` : ''}` : String(error);

// exitCode rather than process.exit(), so output still being written to a pipe is not cut off.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // ApiError was explained where the answer was read; anything else (network, file) is printed
    // here, with its cause: fetch says only "fetch failed", the cause why (refused, DNS, TLS).
    if (!(error instanceof ApiError)) console.error(`Error: ${reason(error)}`);
    process.exitCode = 1;
  },
);
