import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { runWorkerTask } from '../../worker-task.js';
import type { EspeakEngine, EspeakJob } from './engine.js';

const require = createRequire(import.meta.url);

/** Runs the WASM espeak-ng "command line" once: `--voices`, or synthesis into `outputPath`. */
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
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
  if (workerData.text === undefined) return parentPort.postMessage({ result: lines.join('\\n') });
  if (!instance.FS.analyzePath('/out.wav').exists) return parentPort.postMessage({ error: lines.join('\\n') || 'no audio written' });
  (await import('node:fs')).writeFileSync(workerData.outputPath, instance.FS.readFile('/out.wav'));
  parentPort.postMessage({ result: null });
})().catch(async (error) => (await import('node:worker_threads')).parentPort.postMessage({ error: String(error && error.stack || error) }));
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
    voicesTable: () => runWorkerTask<string>('espeak', WORKER_SOURCE, { moduleUrl, options: ['--voices'] }),
    synthesize: async (job: EspeakJob) => {
      const { options, text, outputPath, signal } = job;
      await runWorkerTask('espeak', WORKER_SOURCE, { moduleUrl, options, text, outputPath }, signal);
    },
  };
}
