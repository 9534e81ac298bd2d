import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The release as users get it: every published package `pnpm pack`-ed, the tarballs installed
 * with npm into a fresh app outside the workspace (nothing resolves to our sources), then used
 * the ways users use them: ESM and CommonJS programs that render a video, TypeScript with
 * `moduleResolution` node16 and bundler, the CLI, and the HTTP API once its peers are added.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const PACKAGES = ['core', 'adapters', 'fonts', 'cli', 'client', 'react'];
/** What embedding the job API adds (optional peers of @scriptsensei/adapters). */
const HTTP_PEERS = ['hono', '@hono/node-server', 'jose', 'rate-limiter-flexible', 'standardwebhooks', 'ipaddr.js', 'zod', 'swagger-ui-dist'];
const workspaceBin = (name: string) => join(root, 'node_modules/.bin', name);
const manifest = (pkg: string) => JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));

const work = mkdtempSync(join(tmpdir(), 'ss-release-'));
const app = join(work, 'app');
const tarballs: Record<string, string> = {};
const npm = (args: string[]) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, maxBuffer: 16 << 20, env: { ...process.env, npm_config_update_notifier: 'false', SCARF_ANALYTICS: 'false' } });

beforeAll(async () => {
  for (const pkg of PACKAGES) {
    const { stdout } = await run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', work], { cwd: join(root, 'packages', pkg) });
    const file = stdout.trim().split('\n').at(-1)!.trim();
    tarballs[manifest(pkg).name] = file.startsWith('/') ? file : join(work, file);
  }
  mkdirSync(join(app, 'out'), { recursive: true });
  const files = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'fresh-app',
      private: true,
      dependencies: { ...files, react: '^19.0.0', '@types/react': '^19.0.0', '@types/node': '^20.19.0' },
      // Our packages depend on each other by version: these tarballs, never a registry copy.
      overrides: files,
    }),
  );
  await npm(['install']);
}, 600_000);

afterAll(() => {
  if (!process.env.KEEP_RELEASE_APP) rmSync(work, { recursive: true, force: true });
  else console.log(`release app kept in ${app}`);
});

/** Streams of a video, from the ffprobe the installed core brought along. */
async function probe(file: string) {
  const ffprobe = createRequire(join(app, 'package.json'))('@ffprobe-installer/ffprobe').path as string;
  const { stdout } = await run(ffprobe, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name:format=duration', '-of', 'json', file]);
  const info = JSON.parse(stdout) as { streams: { codec_type: string; codec_name: string }[]; format: { duration: string } };
  return { codecs: info.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort(), duration: Number(info.format.duration) };
}

const renderProgram = (style: 'esm' | 'cjs') => {
  const load =
    style === 'esm'
      ? "import { createPipeline } from '@scriptsensei/core';\nimport { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';\n"
      : "const { createPipeline } = require('@scriptsensei/core');\nconst { createEspeakTTS, createLocalStorage, createSlides } = require('@scriptsensei/adapters');\n";
  return `${load}
const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: 'out/${style}' }) });
pipeline.run({ script: 'Installed from a tarball. Rendered with ${style}.', title: '${style}', platform: 'instagram' }).then((video) => {
  console.log(JSON.stringify({ key: video.key, duration: video.durationSeconds }));
});
`;
};

describe('the packed packages in a fresh app', () => {
  it('install without the HTTP server dependencies when the job API is not used', () => {
    for (const peer of HTTP_PEERS.filter((p) => p !== 'zod')) expect(existsSync(join(app, 'node_modules', peer)), peer).toBe(false);
    for (const pkg of PACKAGES) {
      const dependencies = Object.keys(manifest(pkg).dependencies ?? {});
      expect(dependencies.filter((d) => HTTP_PEERS.includes(d) && d !== 'zod'), pkg).toEqual([]);
    }
  });

  for (const style of ['esm', 'cjs'] as const) {
    it(`render a narrated video from ${style === 'esm' ? 'an ES module' : 'a CommonJS program'}`, { timeout: 120_000 }, async () => {
      const file = join(app, `render.${style === 'esm' ? 'mjs' : 'cjs'}`);
      writeFileSync(file, renderProgram(style));
      const { stdout } = await run(process.execPath, [file], { cwd: app });
      const video = JSON.parse(stdout) as { key: string; duration: number };
      const info = await probe(join(app, 'out', style, video.key));
      expect(info.codecs).toEqual(['audio:aac', 'video:h264']);
      expect(info.duration).toBeGreaterThan(1);
    });
  }

  it('render with the installed CLI', { timeout: 120_000 }, async () => {
    writeFileSync(join(app, 'script.txt'), 'The command line, from a fresh install.');
    await run(join(app, 'node_modules/.bin/scriptsensei'), ['render', 'script.txt', '-o', 'out/cli.mp4'], { cwd: app });
    expect((await probe(join(app, 'out/cli.mp4'))).codecs).toEqual(['audio:aac', 'video:h264']);
  });

  for (const resolution of ['node16', 'bundler'] as const) {
    it(`resolve every entry point's types with moduleResolution ${resolution}`, { timeout: 120_000 }, async () => {
      const dir = join(app, `types-${resolution}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'consumer.ts'),
        `import { createPipeline, ValidationError, type RenderRequest } from '@scriptsensei/core';
import { runStorageProviderContract } from '@scriptsensei/core/testing';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createProviders } from '@scriptsensei/adapters/providers';
import { createS3Storage } from '@scriptsensei/adapters/storage/s3';
import { createVideoJobsClient } from '@scriptsensei/client';
import { useVideoJob } from '@scriptsensei/react';
import { runCli } from '@scriptsensei/cli';

const request: RenderRequest = { script: 'Typed.', platform: 'tiktok' };
const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: 'out' }) });
export const checks = [request, pipeline, ValidationError, runStorageProviderContract, createProviders, createS3Storage, createVideoJobsClient, useVideoJob, runCli];
`,
      );
      // A CommonJS module of the same app reads the require-side declarations (.d.cts).
      writeFileSync(join(dir, 'consumer.cts'), "import core = require('@scriptsensei/core');\nimport adapters = require('@scriptsensei/adapters');\nexport const run: typeof core.createPipeline = core.createPipeline;\nexport const tts = adapters.createEspeakTTS;\n");
      const options = resolution === 'node16' ? { module: 'node16', moduleResolution: 'node16' } : { module: 'esnext', moduleResolution: 'bundler' };
      const files = resolution === 'node16' ? ['consumer.ts', 'consumer.cts'] : ['consumer.ts'];
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { ...options, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, jsx: 'react-jsx', types: ['node'] }, files }),
      );
      if (resolution === 'node16') writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const result = await run(workspaceBin('tsc'), ['-p', dir], { cwd: dir }).catch((error: { stdout: string }) => error);
      expect('stdout' in result ? result.stdout : '').toBe('');
    });
  }

  it('serve the job API, its reference and health once the HTTP peers are installed', { timeout: 300_000 }, async () => {
    const versions = manifest('adapters').peerDependencies as Record<string, string>;
    await npm(['install', ...HTTP_PEERS.map((peer) => `${peer}@${versions[peer]}`)]);
    writeFileSync(
      join(app, 'server.mjs'),
      `import { createPipeline, createVideoJobs } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createJobsApi, createServiceRoutes } from '@scriptsensei/adapters/http';

const jobs = await createVideoJobs({ pipeline: createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: 'out/api' }) }) });
const api = createJobsApi(jobs);
const service = createServiceRoutes(jobs);
const answers = {
  openapi: (await api.fetch(new Request('http://app/openapi.json'))).status,
  docs: (await service.fetch(new Request('http://app/docs'))).status,
  bundle: (await service.fetch(new Request('http://app/docs/swagger-ui-bundle.js'))).status,
  health: (await service.fetch(new Request('http://app/health?probe=liveness'))).status,
};
await jobs.close();
console.log(JSON.stringify(answers));
`,
    );
    const { stdout } = await run(process.execPath, ['server.mjs'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ openapi: 200, docs: 200, bundle: 200, health: 200 });
  });
});

describe('package hygiene of every tarball', () => {
  it('publint finds nothing, not even a suggestion', { timeout: 120_000 }, async () => {
    for (const [name, file] of Object.entries(tarballs)) {
      const { stdout } = await run(workspaceBin('publint'), ['run', file, '--strict']).catch((error: { stdout: string }) => ({ stdout: `FAILED\n${error.stdout}` }));
      expect(stdout, name).toMatch(/All good!/);
    }
  });

  it('are the types wrong? no: types resolve for node16 (ESM and CJS) and bundlers', { timeout: 180_000 }, async () => {
    for (const [name, file] of Object.entries(tarballs)) {
      // node10 (TypeScript's pre-exports resolution) cannot see subpath exports: out of the profile.
      const result = await run(workspaceBin('attw'), [file, '--profile', 'node16', '--format', 'ascii']).catch((error: { stdout: string }) => ({ stdout: `FAILED\n${error.stdout}` }));
      expect(result.stdout.startsWith('FAILED') ? result.stdout : '', name).toBe('');
    }
  });

  it('ship their build and notices, never sources or tests', () => {
    for (const pkg of PACKAGES) {
      const files = manifest(pkg).files as string[];
      expect(files, pkg).toContain('dist');
      expect(files.filter((f) => /^(src|test)/.test(f)), pkg).toEqual([]);
    }
  });
});

describe('versioning the packages together (changesets)', () => {
  it('a pending changeset bumps all six packages to one version and writes their changelogs', async () => {
    const copy = join(work, 'versioning');
    for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(copy, file));
    cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true });
    for (const pkg of PACKAGES) cpSync(join(root, 'packages', pkg, 'package.json'), join(copy, 'packages', pkg, 'package.json'));
    const pending = readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    if (pending.length === 0) writeFileSync(join(copy, '.changeset', 'probe.md'), "---\n'@scriptsensei/client': patch\n---\n\nA fix in one package.\n");
    await run(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: copy });
    const versions = PACKAGES.map((pkg) => JSON.parse(readFileSync(join(copy, 'packages', pkg, 'package.json'), 'utf8')).version as string);
    expect(new Set(versions).size).toBe(1);
    expect(versions[0]).not.toBe(manifest('core').version);
    for (const pkg of PACKAGES) expect(readFileSync(join(copy, 'packages', pkg, 'CHANGELOG.md'), 'utf8')).toContain(`## ${versions[0]}`);
  });
});
