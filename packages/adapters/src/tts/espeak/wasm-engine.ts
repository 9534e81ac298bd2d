import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ProviderError, toCancelled } from '@scriptsensei/core';
import type { EspeakEngine, EspeakJob } from './engine.js';

const require = createRequire(import.meta.url);

/**
 * The worker's source. Each call runs the WASM espeak-ng "command line" once in a fresh worker
 * thread: synthesis is CPU-bound and would otherwise block the host's event loop, and a fresh
 * instance keeps no state between calls. Kept inline so bundling never loses a worker file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { default: ESpeakNg } = await import(workerData.moduleUrl);
  const lines = [];
  const log = (line) => lines.push(String(line));
  const args = workerData.text === undefined
    ? workerData.options
    : [...workerData.options, '-b', '1', '-w', '/out.wav', '-f', '/in.txt'];
  const instance = await ESpeakNg({
    arguments: args,
    print: log,
    printErr: log,
    preRun: [(m) => { if (workerData.text !== undefined) m.FS.writeFile('/in.txt', workerData.text); }],
  });
  if (workerData.text === undefined) return parentPort.postMessage({ stdout: lines.join('\\n') });
  if (!instance.FS.analyzePath('/out.wav').exists) return parentPort.postMessage({ error: lines.join('\\n') || 'no audio written' });
  const wav = instance.FS.readFile('/out.wav');
  parentPort.postMessage({ wav }, [wav.buffer]);
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/** Whether the optional `espeak-ng` npm package (WASM build) is installed. */
export function wasmModuleUrl(): string | undefined {
  try {
    return pathToFileURL(require.resolve('espeak-ng')).href;
  } catch {
    return undefined;
  }
}

/** espeak-ng compiled to WASM (the optional `espeak-ng` npm package, GPL-3.0), run in worker threads. */
export function wasmEngine(moduleUrl: string): EspeakEngine {
  return {
    kind: 'wasm',
    source: 'espeak-ng (npm package, WASM)',
    voicesTable: async () => (await runWorker(moduleUrl, ['--voices'], undefined)).stdout ?? '',
    synthesize: async (job: EspeakJob) => {
      const { wav } = await runWorker(moduleUrl, job.options, job.text, job.signal);
      await writeFile(job.outputPath, wav!);
    },
  };
}

interface WorkerReply {
  stdout?: string;
  wav?: Uint8Array;
  error?: string;
}

function runWorker(moduleUrl: string, options: string[], text: string | undefined, signal?: AbortSignal): Promise<WorkerReply> {
  if (signal?.aborted) return Promise.reject(toCancelled(signal.reason));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { moduleUrl, options, text } });
    let settled = false;
    const finish = (error: Error | undefined, reply?: WorkerReply) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(reply!);
    };
    const onAbort = () => finish(toCancelled(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (reply: WorkerReply) =>
      reply.error ? finish(new ProviderError('espeak', reply.error.trim().split('\n')[0]!, { retryable: false })) : finish(undefined, reply),
    );
    worker.on('error', (error) => finish(new ProviderError('espeak', `WASM worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => finish(new ProviderError('espeak', `WASM worker exited early with code ${code}`)));
  });
}
