import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, resolveBinaries } from '../src/index.js';

describe('resolveBinaries', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('finds a working ffmpeg and ffprobe with no configuration', () => {
    const { ffmpeg, ffprobe } = resolveBinaries();
    expect(ffmpeg).toMatch(/ffmpeg$/);
    expect(ffprobe).toMatch(/ffprobe$/);
  });

  it('prefers the explicit option, then the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bins-'));
    const fake = join(dir, 'my-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(resolveBinaries({ ffmpegPath: fake }).ffmpeg).toBe(fake);
    process.env.FFMPEG_PATH = fake;
    expect(resolveBinaries().ffmpeg).toBe(fake);
  });

  it('reports a broken explicit path instead of silently using another ffmpeg', () => {
    expect(() => resolveBinaries({ ffmpegPath: '/nope/ffmpeg' })).toThrow(/option ffmpegPath: \/nope\/ffmpeg does not exist/);
    process.env.FFPROBE_PATH = '/nope/ffprobe';
    expect(() => resolveBinaries()).toThrow(ConfigurationError);
  });

  it('lists every place tried when no ffmpeg can be found', async () => {
    // A child process in which the binary packages cannot be resolved and PATH is empty.
    const { execFileSync } = await import('node:child_process');
    const script = `
      const Module = require('node:module');
      const original = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (['ffmpeg-static', 'ffprobe-static', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'].includes(request)) throw Object.assign(new Error('hidden'), { code: 'MODULE_NOT_FOUND' });
        return original.call(this, request, ...rest);
      };
      const { resolveBinaries } = require(${JSON.stringify(join(__dirname, '../dist/index.cjs'))});
      try { resolveBinaries(); console.log('resolved'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
    `;
    const out = execFileSync(process.execPath, ['-e', script], { env: { PATH: '/nonexistent' } }).toString();
    const error = JSON.parse(out) as { code: string; message: string };
    expect(error.code).toBe('CONFIGURATION');
    for (const source of ['option ffmpegPath: not set', 'env FFMPEG_PATH: not set', 'ffmpeg-static', '@ffmpeg-installer/ffmpeg', 'PATH: not set']) {
      expect(error.message).toContain(source);
    }
  });
});
