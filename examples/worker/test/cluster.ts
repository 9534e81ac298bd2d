import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from '@scriptsensei/core/testing';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** A process of the deployment under test, with its JSON log lines. */
export interface Proc {
  child: ChildProcess;
  pid: number;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
  /** Signals the process, or its whole group (it and its ffmpeg children) with `group`. */
  kill(signal: NodeJS.Signals, options?: { group?: boolean }): void;
}

/** Starts `script` (relative to the repository root) in its own process group, collecting pino lines. */
export function startProcess(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const complete = buffer.split('\n');
    buffer = complete.pop()!;
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code) console.error(`${script} exited ${code}: ${stderr}`);
      resolve(code);
    }),
  );
  return {
    child,
    pid: child.pid!,
    lines,
    exited,
    kill(signal, { group = false } = {}) {
      try {
        process.kill(group ? -child.pid! : child.pid!, signal);
      } catch {
        /* already gone */
      }
    },
  };
}

/** The first log line that matches, waiting for it. */
export async function logLine(proc: Proc, message: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  await until(() => proc.lines.some((line) => line.msg === message), timeoutMs);
  return proc.lines.find((line) => line.msg === message)!;
}

export async function startApi(env: Record<string, string>): Promise<{ proc: Proc; base: string }> {
  const proc = startProcess('examples/express-server/server.mjs', { PORT: '0', WORKERS: '0', ...env });
  const line = await logLine(proc, 'ScriptSensei job API listening');
  return { proc, base: `${line.url as string}/api/v1` };
}

export async function startWorker(env: Record<string, string>): Promise<{ proc: Proc; id: string }> {
  const proc = startProcess('examples/worker/worker.mjs', { CONCURRENCY: '1', ...env });
  const line = await logLine(proc, 'ScriptSensei worker started');
  return { proc, id: line.workerId as string };
}

/** ffmpeg and espeak-ng processes whose parent is `pid`. */
export function mediaChildrenOf(pid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'comm=', '--ppid', String(pid)])
      .toString()
      .split('\n')
      .filter((name) => /ffmpeg|ffprobe|espeak/.test(name));
  } catch {
    return []; // ps exits 1 when there is no such child
  }
}

export type WireJob = Record<string, any>;

export async function getJob(base: string, id: string): Promise<WireJob> {
  return (await (await fetch(`${base}/jobs/${id}`)).json()) as WireJob;
}

export async function createJob(base: string, script: string, extra: Record<string, unknown> = {}): Promise<WireJob> {
  const response = await fetch(`${base}/jobs/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ video_request: { script_content: script }, ...extra }),
  });
  if (response.status !== 202) throw new Error(`create answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as WireJob;
}

export async function finished(base: string, id: string, timeoutMs = 60_000): Promise<WireJob> {
  let job: WireJob = {};
  await until(async () => ['success', 'failure', 'cancelled'].includes((job = await getJob(base, id)).status), timeoutMs, 100);
  return job;
}

/** A script that takes some seconds to render (about `sentences` × 3 s of narration). */
export const longScript = (sentences: number, tag: string) =>
  Array.from({ length: sentences }, (_, i) => `This is sentence ${i + 1} of the ${tag} script, long enough to keep a worker busy.`).join(' ');
