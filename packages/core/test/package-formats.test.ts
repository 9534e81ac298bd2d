import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The packages ship ESM and CJS builds; both must render, including every ESM-only dependency.
// Runs against dist/, which `pnpm test` builds first.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

const program = (format: 'cjs' | 'esm', storage: string) => {
  const load = (pkg: string) =>
    format === 'cjs' ? `require(${JSON.stringify(join(root, `packages/${pkg}/dist/index.cjs`))})` : `await import(${JSON.stringify(join(root, `packages/${pkg}/dist/index.js`))})`;
  return `(async () => {
    const { createPipeline } = ${load('core')};
    const { createEspeakTTS, createSlides, createLocalStorage } = ${load('adapters')};
    const pipeline = createPipeline({ tts: createEspeakTTS({ engine: 'wasm' }), images: createSlides(), storage: createLocalStorage({ directory: ${JSON.stringify(storage)} }) });
    const result = await pipeline.run({ script: 'Hello from the ${format} build.' });
    console.log(JSON.stringify({ key: result.key, duration: result.durationSeconds }));
  })().catch((error) => { console.error(error); process.exit(1); });`;
};

describe('built packages', () => {
  it.each(['cjs', 'esm'] as const)('render through the %s build', async (format) => {
    const storage = await mkdtemp(join(tmpdir(), `format-${format}-`));
    try {
      const args = format === 'cjs' ? ['-e', program(format, storage)] : ['--input-type=module', '-e', program(format, storage)];
      const { stdout } = await run(process.execPath, args);
      const result = JSON.parse(stdout.trim()) as { key: string; duration: number };
      expect(result.key).toMatch(/^videos\/.+\.mp4$/);
      expect(result.duration).toBeGreaterThan(1);
    } finally {
      await rm(storage, { recursive: true, force: true });
    }
  });
});
