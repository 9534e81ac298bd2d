import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveBinaries } from '@scriptsensei/core';

// These tests run the built `scriptsensei` binary as a child process, so they cover the bundle,
// the real espeak-ng/resvg/ffmpeg pipeline, exit codes and signal handling end to end.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const BUILD = 'cd packages/core && npx tsup && cd ../adapters && npx tsup && cd ../cli && npx tsup';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  stdin?: string;
  /** Called with each stdout line as it arrives, e.g. to signal the process mid-render. */
  onLine?: (line: string, child: ChildProcess) => void;
  /** Environment variables added to the child's. */
  env?: Record<string, string>;
}

let work: string;
/** TMPDIR of the child, so the pipeline's `scriptsensei-*` scratch directories can be checked. */
let scratch: string;
const children = new Set<ChildProcess>();

function run(args: string[], options: RunOptions = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, TMPDIR: scratch, ...options.env } });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) options.onLine?.(line, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function streamsOf(path: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(resolveBinaries().ffprobe, [
    '-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'json', path,
  ]);
  const { streams } = JSON.parse(stdout) as { streams: { codec_type: string; codec_name: string }[] };
  return streams.map((s) => `${s.codec_type}:${s.codec_name}`);
}

/** A script long enough (dozens of scenes) that a signal lands well before the render ends. */
function longScript(): string {
  const paragraphs: string[] = [];
  for (let p = 1; p <= 16; p++) {
    const sentences: string[] = [];
    for (let s = 1; s <= 4; s++) sentences.push(`Paragraph ${p} sentence ${s} explains how a written script becomes a narrated video with slides.`);
    paragraphs.push(sentences.join(' '));
  }
  return paragraphs.join('\n\n');
}

/** The newest modification time of the files under `dir`. */
function newestMtime(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  );
}

beforeAll(() => {
  // Building here would race other test files reading these dist folders; insist on a fresh build instead.
  for (const pkg of ['core', 'adapters', 'cli']) {
    const dist = join(ROOT, 'packages', pkg, 'dist');
    if (!existsSync(dist) || newestMtime(join(ROOT, 'packages', pkg, 'src')) > newestMtime(dist)) {
      throw new Error(`packages/${pkg}/dist is missing or older than its sources; run from the repo root: ${BUILD}`);
    }
  }
});

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'scriptsensei-cli-test-'));
  scratch = join(work, 'tmp');
  await mkdir(scratch);
});

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  // libpulse, loaded by the system espeak-ng, makes its per-machine runtime directory
  // (`pulse-*`) in TMPDIR the first time it runs on a machine: not ours to clean up.
  const leftovers = (await readdir(scratch)).filter((name) => !name.startsWith('pulse-'));
  await rm(work, { recursive: true, force: true });
  expect(leftovers).toEqual([]);
});

describe('scriptsensei render', () => {
  it('renders a script file to an H.264/AAC MP4 at the output path, reporting JSON lines', async () => {
    await writeFile(join(work, 'welcome.txt'), 'Welcome to ScriptSensei. This video was rendered from two sentences.\n');
    const output = join(work, 'nested', 'dir', 'welcome.mp4');

    const { code, stdout, stderr } = await run(['render', 'welcome.txt', '-o', 'nested/dir/welcome.mp4', '--json']);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    const progress = lines.filter((l) => l.type === 'progress').map((l) => l.progress as number);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
    const result = lines.at(-1)!;
    expect(result).toMatchObject({ type: 'result', output, key: 'welcome.mp4', platform: 'youtube', width: 1920, height: 1080 });
    expect(lines.filter((l) => l.type !== 'progress')).toHaveLength(1);
    const { size } = await stat(output);
    expect(size).toBeGreaterThan(0);
    expect(size).toBe(result.sizeBytes);
    expect((await streamsOf(output)).sort()).toEqual(['audio:aac', 'video:h264']);
  });

  it('reads the script from stdin for "-" and prints a human summary', async () => {
    const { code, stdout, stderr } = await run(['render', '-', '-o', 'from-stdin.mp4', '--platform', 'instagram'], {
      stdin: 'Scripts can come from a pipe. This one did.',
    });

    expect(code).toBe(0);
    const output = join(work, 'from-stdin.mp4');
    expect(stdout).toContain(`Video written to ${output}`);
    expect(stdout).toContain('1080x1080');
    // Without a terminal, progress is one plain line per stage.
    expect(stderr).toContain('Generating audio');
    expect(stderr).toContain('Video ready');
    expect((await stat(output)).size).toBeGreaterThan(0);
  });

  it('rejects an empty script with exit 2 and a VALIDATION error line', async () => {
    await writeFile(join(work, 'blank.txt'), '  \n\n\t \n');

    const { code, stdout } = await run(['render', 'blank.txt', '-o', 'blank.mp4', '--json']);

    expect(code).toBe(2);
    expect(jsonLines(stdout).at(-1)).toMatchObject({ type: 'error', code: 'VALIDATION', issues: [{ field: 'script' }] });
    expect(existsSync(join(work, 'blank.mp4'))).toBe(false);
  });

  it('exits 2 when the input file is missing', async () => {
    const { code, stderr } = await run(['render', 'nope.txt', '-o', 'nope.mp4']);

    expect(code).toBe(2);
    expect(stderr).toContain('cannot read "nope.txt": no such file');
  });

  it('exits 2 on an unknown platform, naming the option', async () => {
    await writeFile(join(work, 'talk.txt'), 'Hello.');

    const { code, stderr } = await run(['render', 'talk.txt', '-o', 'talk.mp4', '--platform', 'myspace']);

    expect(code).toBe(2);
    expect(stderr).toContain('--platform: "myspace" is not one of youtube, tiktok, shorts, reels, instagram');
  });

  it('exits 2 on usage errors and 0 for --help and --version', async () => {
    expect((await run(['render', 'talk.txt'])).code).toBe(2); // no --output
    expect((await run(['render', 'talk.txt', '-o', 'x.mp4', '--frobnicate'])).code).toBe(2);
    expect((await run(['transcode'])).code).toBe(2);

    const help = await run(['render', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--platform <name>');
    const version = await run(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('burns captions in and writes <out>.srt and <out>.vtt, with motion, music and a poster', async () => {
    await writeFile(join(work, 'talk.txt'), 'Captions come from the voice. Each phrase is timed.\n\nA second scene, with music under it.\n');
    await promisify(execFile)(resolveBinaries().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100', '-t', '3', join(work, 'bed.wav')]);

    const { code, stdout, stderr } = await run(['render', 'talk.txt', '-o', 'out/talk.mp4', '--captions', '--ken-burns', '--transition', 'crossfade', '--music', 'bed.wav']);

    expect(stderr).not.toContain('scriptsensei:');
    expect(code).toBe(0);
    const srt = join(work, 'out', 'talk.srt');
    expect(stdout).toContain(`captions: ${srt} and ${join(work, 'out', 'talk.vtt')}`);
    expect(stdout).toMatch(/loudness -1[5-7]\.\d LUFS/);
    expect(await readFile(srt, 'utf8')).toMatch(/^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\nCaptions come from the voice\.\n/);
    expect(await readFile(join(work, 'out', 'talk.vtt'), 'utf8')).toMatch(/^WEBVTT\n/);
    // The music's copy in the output folder is gone; the poster stays.
    expect((await readdir(join(work, 'out'))).sort()).toEqual(['talk.jpg', 'talk.mp4', 'talk.srt', 'talk.vtt']);
  });

  it('narrates with a cloud voice configured by its key (OpenAI, pointed at a local server speaking its protocol)', async () => {
    await writeFile(join(work, 'talk.txt'), 'A cloud voice reads this scene.');
    const requests: { path: string; authorization?: string; body: Record<string, unknown> }[] = [];
    // OpenAI's audio/speech: JSON in, raw 24 kHz 16-bit mono PCM out (here a 440 Hz tone).
    const vendor = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
        const pcm = Buffer.alloc(24_000 * 2 * 2);
        for (let i = 0; i < pcm.length / 2; i++) pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / 24_000) * 9000), i * 2);
        res.writeHead(200, { 'content-type': 'audio/pcm' }).end(pcm);
      });
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    try {
      const env = { OPENAI_API_KEY: 'sk-cli-test-key-123456', OPENAI_BASE_URL: `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/v1` };
      const { code, stderr } = await run(['render', 'talk.txt', '-o', 'talk.mp4', '--voice-provider', 'openai', '--voice', 'nova'], { env });
      expect(stderr).not.toContain('scriptsensei:');
      expect(code).toBe(0);
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ path: '/v1/audio/speech', authorization: 'Bearer sk-cli-test-key-123456', body: { input: 'A cloud voice reads this scene.', voice: 'nova', response_format: 'pcm' } });
      expect(await streamsOf(join(work, 'talk.mp4'))).toEqual(['video:h264', 'audio:aac']);
    } finally {
      vendor.closeAllConnections();
      await new Promise((resolve) => vendor.close(resolve));
    }
  });

  it('says which key a cloud voice needs when it is not configured (exit 2)', async () => {
    await writeFile(join(work, 'talk.txt'), 'Hello.');
    const { code, stderr } = await run(['render', 'talk.txt', '-o', 'talk.mp4', '--voice-provider', 'Azure'], { env: { AZURE_SPEECH_KEY: '' } });
    expect(code).toBe(2);
    expect(stderr).toContain('--voice-provider: "azure" is not configured here; use one of espeak (set AZURE_SPEECH_KEY to use azure)');
  });

  it('names the flag at fault for a bad quality option', async () => {
    await writeFile(join(work, 'talk.txt'), 'Hello.');

    const { code, stderr } = await run(['render', 'talk.txt', '-o', 'talk.mp4', '--transition', 'wipe', '--music', 'missing.mp3']);

    expect(code).toBe(2);
    expect(stderr).toContain('--music: "missing.mp3" is not a file or an http(s) URL');
    const second = await run(['render', 'talk.txt', '-o', 'talk.mp4', '--transition', 'wipe']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('--transition: must be one of none, crossfade, slide');
  });

  it('cancels on SIGINT mid-render: exit 130, no output, no temporary files', async () => {
    await writeFile(join(work, 'long.txt'), longScript());
    let signalled = false;

    const { code, stdout, stderr } = await run(['render', 'long.txt', '-o', 'out/long.mp4', '--json'], {
      onLine(line, child) {
        if (!signalled && (JSON.parse(line) as { stage?: string }).stage === 'composing') {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });

    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('Cancelled');
    expect(jsonLines(stdout).at(-1)).toMatchObject({ type: 'error', code: 'CANCELLED' });
    // Nothing at the output path, not even the storage's partial file (afterEach checks TMPDIR).
    expect(await readdir(join(work, 'out'))).toEqual([]);
  });

  it('cancels on SIGTERM with exit 143', async () => {
    await writeFile(join(work, 'long.txt'), longScript());
    let signalled = false;

    const { code } = await run(['render', 'long.txt', '-o', 'long.mp4', '--json'], {
      onLine(_line, child) {
        if (!signalled) {
          signalled = true;
          child.kill('SIGTERM');
        }
      },
    });

    expect(code).toBe(143);
    expect(existsSync(join(work, 'long.mp4'))).toBe(false);
  });
});
