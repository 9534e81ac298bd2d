import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mediaChildren } from './helpers/processes.js';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createKeyvJobStore, createPipeline, createVideoJobs, isTerminal, type VideoJobs } from '../src/index.js';
import { decodeErrors, probeMedia, until } from '../src/testing/index.js';
import { sqliteKeyv } from './helpers/sqlite-keyv.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'jobs-e2e-'));
const tempDir = join(scratch, 'tmp');
const storageDir = join(scratch, 'storage');
mkdirSync(tempDir);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const realPipeline = () =>
  createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: storageDir }), tempDir });


const settled = (jobs: VideoJobs, id: string) => until(async () => isTerminal((await jobs.get(id)).status), 60_000);

const SCRIPT = Array.from({ length: 8 }, (_, i) => `Scene ${i + 1} of the restart test has a sentence or two to say.`).join('\n\n');

describe('video jobs with the real pipeline', () => {
  it('renders a submitted job into a playable video', async () => {
    const jobs = await createVideoJobs({ pipeline: realPipeline(), concurrency: 1 });
    try {
      const job = await jobs.submit({ script: 'A job rendered for real.\n\nWith two scenes.', title: 'Jobs' }, { userId: 'e2e' });
      await settled(jobs, job.id);
      const done = await jobs.get(job.id);
      expect(done.status).toBe('success');
      const path = join(storageDir, done.result!.key);
      expect((await probeMedia(path)).streams.map((s) => s.codecName).sort()).toEqual(['aac', 'h264']);
      expect(await decodeErrors(path)).toBe('');
    } finally {
      await jobs.close();
    }
  });

  it('cancelling a running render stops ffmpeg and cleans up', async () => {
    const jobs = await createVideoJobs({ pipeline: realPipeline(), concurrency: 1 });
    try {
      const job = await jobs.submit({ script: SCRIPT });
      await until(async () => (await jobs.get(job.id)).stage === 'composing', 60_000);
      const cancelled = await jobs.cancel(job.id);
      expect(cancelled.status).toBe('cancelled');
      expect(mediaChildren()).toEqual([]);
      expect(readdirSync(tempDir)).toEqual([]);
    } finally {
      await jobs.close();
    }
  });

  it('a job whose process was killed mid-render completes after a restart (sqlite store)', async () => {
    const file = join(scratch, 'crash.sqlite');
    const child = `
      const { createPipeline, createVideoJobs, createKeyvJobStore } = await import(${JSON.stringify(join(root, 'packages/core/dist/index.js'))});
      const { createEspeakTTS, createSlides, createLocalStorage } = await import(${JSON.stringify(join(root, 'packages/adapters/dist/index.js'))});
      const { default: Keyv } = await import('keyv');
      const { default: KeyvSqlite } = await import('@keyv/sqlite');
      const keyv = new Keyv({ store: new KeyvSqlite({ uri: 'sqlite://${file}', table: 'jobs', busyTimeout: 5000, iterationLimit: 1000 }), namespace: 'jobs' });
      const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: ${JSON.stringify(storageDir)} }), tempDir: ${JSON.stringify(tempDir)} });
      const jobs = await createVideoJobs({ pipeline, store: createKeyvJobStore({ keyv }), concurrency: 1 });
      const job = await jobs.submit({ script: ${JSON.stringify(SCRIPT)} }, { userId: 'crash' });
      jobs.subscribe(job.id, (j) => console.log(JSON.stringify({ id: j.id, progress: j.progress })));
    `;
    // Runs in packages/core so the child resolves keyv and @keyv/sqlite as the package does.
    const proc = spawn(process.execPath, ['--input-type=module', '-e', child], { cwd: join(root, 'packages/core'), stdio: ['ignore', 'pipe', 'inherit'] });
    let id = '';
    await new Promise<void>((resolve, reject) => {
      proc.on('error', reject);
      proc.on('exit', () => resolve());
      let buffer = '';
      proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        for (const line of buffer.split('\n').slice(0, -1)) {
          const update = JSON.parse(line) as { id: string; progress: number };
          id = update.id;
          if (update.progress >= 0.3) proc.kill('SIGKILL');
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      });
    });
    expect(id).not.toBe('');

    const store = createKeyvJobStore({ keyv: sqliteKeyv(file) });
    const jobs = await createVideoJobs({ pipeline: realPipeline(), store, concurrency: 1 });
    try {
      await settled(jobs, id);
      const done = await jobs.get(id);
      expect(done).toMatchObject({ status: 'success', attempts: 2, userId: 'crash' });
      expect(await decodeErrors(join(storageDir, done.result!.key))).toBe('');
    } finally {
      await jobs.close();
    }
  });
});
