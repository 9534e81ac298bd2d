import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '@scriptsensei/core';
import { probeMedia } from '@scriptsensei/core/testing';
import { startReferenceServer, type ReferenceServer } from '../../../tools/testing/reference-server.js';

/**
 * Each client example, run as a user runs it, against the real reference server: a render to a
 * real MP4, a 429 waited out, a 422 explained, and bearer auth.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const example = (path: string) => join(root, 'examples/clients', path);
const SCRIPT = 'The client example submits this script.\n\nThen it downloads the video.';

interface Client {
  name: string;
  command: string;
  args: string[];
  /** Programs the example needs on PATH. */
  needs: string[];
  /** Follows the job over its events stream (so it prints every stage), rather than polling. */
  live: boolean;
  /** A static check of the source: types, syntax of the oldest supported version. */
  check: [string, ...string[]];
}

const clients: Client[] = [
  {
    name: 'typescript',
    command: join(root, 'node_modules/.bin/tsx'),
    args: [example('typescript/create-video.ts')],
    needs: [],
    live: true,
    // The root tsconfig does not include examples/clients, so the example is checked on its own,
    // as strictly as the packages.
    check: [
      join(root, 'node_modules/.bin/tsc'),
      ...['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noImplicitOverride'],
      ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck'],
      example('typescript/create-video.ts'),
    ],
  },
  {
    name: 'python',
    command: 'python3',
    args: [example('python/create_video.py')],
    needs: ['python3'],
    live: false,
    // It promises Python 3.9: ast with feature_version refuses newer syntax (match, …); library calls are not checked.
    check: ['python3', '-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 9))', example('python/create_video.py')],
  },
  {
    name: 'bash',
    command: 'bash',
    args: [example('bash/create-video.sh')],
    needs: ['bash', 'curl', 'jq'],
    live: false,
    check: ['bash', '-n', example('bash/create-video.sh')],
  },
];

interface Run {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

/**
 * Runs `command` to its exit with only the given SCRIPTSENSEI_* variables (none inherited). A
 * hung example is killed before the test times out, so its output is still shown.
 */
function run([command, ...args]: string[], env: Record<string, string> = {}, cwd = root): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SCRIPTSENSEI_')));
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 100_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The one job `userId` created on `server`. */
async function onlyJob(server: ReferenceServer, userId: string) {
  const { jobs } = await server.jobs.list({ userId });
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
}

/** A real MP4 with a picture and a voice. */
async function expectMp4(path: string) {
  const { format, streams } = await probeMedia(path);
  expect(format.formatName).toContain('mp4');
  expect(streams.map((s) => s.codecType).sort()).toEqual(['audio', 'video']);
  expect(format.duration).toBeGreaterThan(0);
}

/**
 * A gateway in front of `target` as some deployments have: it rate-limits the first job
 * creation (429, `Retry-After: 1`) and does not pass Server-Sent Events (404).
 */
async function startGateway(target: string) {
  let posts = 0;
  const server = createServer((req, res) => {
    if (req.method === 'POST' && (posts += 1) === 1) {
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many jobs created; retry in 1 s', retryable: true } }));
      return;
    }
    if (req.url?.split('?')[0]!.endsWith('/events')) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Each client has a key of its own, so each one's jobs are told apart by their user.
const apiKey = (client: Client) => `${client.name}-secret-key`;
const authUser = (client: Client) => `auth-${client.name}`;

let server: ReferenceServer;
let authServer: ReferenceServer;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ss-clients-'));
  [server, authServer] = await Promise.all([
    startReferenceServer(),
    startReferenceServer({ API_KEYS: clients.map((c) => `${apiKey(c)}:${authUser(c)}`).join(',') }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), authServer?.close()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

for (const client of clients) {
  const missing = client.needs.filter((program) => !findOnPath(program));
  if (missing.length) {
    // CI installs them, so there the examples must run, not be skipped.
    if (process.env.CI === 'true') throw new Error(`${missing.join(', ')} not on PATH, and CI must run the ${client.name} client example`);
    console.warn(`\n*** ${missing.join(', ')} not on PATH: the ${client.name} client example tests are SKIPPED ***\n`);
  }

  describe.skipIf(missing.length > 0)(`${client.name} client example`, () => {
    /** Runs the example with a script file named after the case (its script_id) and the case's user. */
    const runExample = (name: string, script: string, env: Record<string, string>) => {
      const file = join(scratch, `${client.name}-${name}.txt`);
      writeFileSync(file, script);
      const output = join(scratch, `${client.name}-${name}.mp4`);
      return { output, done: run([client.command, ...client.args, file, '-o', output], { SCRIPTSENSEI_USER_ID: `${client.name}-${name}`, ...env }, scratch) };
    };

    it('passes its static check', async () => {
      const result = await run(client.check);
      expect(result.code, result.output).toBe(0);
    });

    it('renders a script: prints the job id and its progress, saves a real MP4', async () => {
      const { output, done } = runExample('render', SCRIPT, { SCRIPTSENSEI_URL: server.url });
      const result = await done;
      expect(result.code, result.output).toBe(0);
      const job = await onlyJob(server, `${client.name}-render`);
      expect(job).toMatchObject({ status: 'success', metadata: { script_id: `${client.name}-render` } });
      expect(result.output).toContain(`Job ${job.id} created`);
      expect(result.output).toContain('[0%] pending queued: Job queued');
      // Polling every 2 s may miss every step of a render this short; the events stream shows them all.
      if (client.live) expect(result.output).toMatch(/\[\d+%\] processing composing: /);
      expect(result.output).toContain('[100%] success complete: Video ready');
      expect(result.output).toContain(`Video: ${server.api}/jobs/${job.id}/video`);
      expect(result.output).toContain(`Saved ${output} (${job.result!.sizeBytes} bytes)`);
      expect(existsSync(`${output}.part`)).toBe(false);
      expect(result.output).not.toContain('No live events');
      await expectMp4(output);
    }, 120_000);

    it('waits out a 429 as long as Retry-After says, and finishes without live events', async () => {
      const gateway = await startGateway(server.url);
      try {
        const { output, done } = runExample('rate-limited', SCRIPT, { SCRIPTSENSEI_URL: gateway.url });
        const result = await done;
        expect(result.code, result.output).toBe(0);
        expect(result.output).toContain('Rate limited (429): retrying in 1 s');
        const job = await onlyJob(server, `${client.name}-rate-limited`);
        expect(result.output).toContain(`Job ${job.id} created`);
        expect(result.output).toContain('success');
        if (client.live) expect(result.output).toContain('No live events (HTTP 404); polling every 2 s');
        await expectMp4(output);
      } finally {
        await gateway.close();
      }
    }, 120_000);

    it('prints the field the server refused (422) and exits non-zero, creating no job', async () => {
      const { output, done } = runExample('empty', '', { SCRIPTSENSEI_URL: server.url });
      const result = await done;
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain('HTTP 422 VALIDATION');
      expect(result.output).toContain('video_request.script_content: must contain some text');
      expect((await server.jobs.list({ userId: `${client.name}-empty` })).total).toBe(0);
      expect(existsSync(output)).toBe(false);
    });

    it('sends SCRIPTSENSEI_TOKEN as a bearer token; without it, prints the 401 and exits non-zero', async () => {
      const refused = await runExample('no-token', SCRIPT, { SCRIPTSENSEI_URL: authServer.url }).done;
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toContain('HTTP 401 UNAUTHORIZED: Send Authorization: Bearer <token>');

      const { output, done } = runExample('token', SCRIPT, { SCRIPTSENSEI_URL: authServer.url, SCRIPTSENSEI_TOKEN: apiKey(client) });
      const result = await done;
      expect(result.code, result.output).toBe(0);
      // The token decides the user, not SCRIPTSENSEI_USER_ID; the download went through the signed link.
      const job = await onlyJob(authServer, authUser(client));
      expect(job.status).toBe('success');
      expect(result.output).toContain(`Job ${job.id} created`);
      expect(result.output).toMatch(new RegExp(`Video: ${authServer.api}/jobs/${job.id}/video\\?expires=\\d+&signature=`));
      await expectMp4(output);
    }, 120_000);
  });
}
