import { spawn } from 'node:child_process';
import { ProviderError, deprioritize, toCancelled } from '@scriptsensei/core';
import type { EspeakEngine, EspeakJob } from './engine.js';

/** espeak-ng as a child process. Text goes through stdin, so no text is ever parsed as an option. */
export function binaryEngine(binaryPath: string): EspeakEngine {
  return {
    kind: 'binary',
    source: binaryPath,
    voicesTable: () => run(binaryPath, ['--voices'], undefined),
    synthesize: async (job: EspeakJob) => {
      await run(binaryPath, [...job.options, '-b', '1', '-w', job.outputPath, '--stdin'], job.text, job.signal);
    },
  };
}

function run(binary: string, args: string[], stdin: string | undefined, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) return Promise.reject(toCancelled(signal.reason));
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    deprioritize(child.pid);
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A child that dies before reading its stdin makes the write fail with EPIPE: the exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new ProviderError('espeak', `cannot run ${binary}: ${error.message}`, { cause: error, retryable: false }));
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(toCancelled(signal.reason));
      else if (code === 0) resolve(stdout);
      else reject(new ProviderError('espeak', `espeak-ng exited with ${killedBy ?? code}: ${stderr.trim()}`));
    });
  });
}
