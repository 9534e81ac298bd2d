import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RENDER_NICENESS, createPipeline } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';

const dir = mkdtempSync(join(tmpdir(), 'render-priority-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Niceness of this process's threads and of its children, by name. */
function priorities(): { tid: string; ni: number; comm: string }[] {
  const out = execFileSync('ps', ['-L', '-o', 'tid=,ni=,comm=', '-p', String(process.pid), '--ppid', String(process.pid)]).toString();
  return out.trim().split('\n').map((line) => {
    const [tid, ni, comm] = line.trim().split(/\s+/);
    return { tid: tid!, ni: Number(ni), comm: comm! };
  });
}

it('runs ffmpeg children and render worker threads at a lower priority than the event loop', async () => {
  expect(RENDER_NICENESS).toBe(10);
  const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: dir }) });
  const seen: ReturnType<typeof priorities> = [];
  const sample = setInterval(() => seen.push(...priorities()), 10);
  try {
    await pipeline.run({ script: 'Priorities are checked while this renders. '.repeat(20) });
  } finally {
    clearInterval(sample);
  }
  expect(seen.some((p) => p.comm === 'ffmpeg' && p.ni === 10)).toBe(true);
  expect(seen.some((p) => p.tid !== String(process.pid) && p.comm !== 'ffmpeg' && p.ni === 10)).toBe(true);
  expect(seen.filter((p) => p.tid === String(process.pid)).every((p) => p.ni === 0)).toBe(true);
});
