import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CancelledError, NotFoundError, ProviderError, ValidationError, findOnPath, resolveBinaries, type StorageProvider } from '../src/index.js';
import { mixAudio, type MixAudioOptions } from '../src/media/audio-mix.js';
import { runFfmpeg } from '../src/media/ffmpeg-run.js';
import { fetchMusic } from '../src/media/music-source.js';
import { bandLevelDb, measureLoudness, probeMedia } from '../src/testing/media-checks.js';

const { ffmpeg } = resolveBinaries();
const espeak = findOnPath('espeak-ng');
if (!espeak) console.warn('\n*** espeak-ng binary not on PATH: the audio-mix cases with real speech are SKIPPED ***\n');

/** Voice and music sit in separate bands, so each can be measured in the mix. */
const VOICE_BAND = { lowHz: 200, highHz: 450 };
const MUSIC_BAND = { lowHz: 2000, highHz: 4500 };
/** Each narration file is a phrase of this length, placed at the start of a slot of SLOT seconds. */
const PHRASE = 2.5;
const SLOT = 4;
/** One AAC frame, the granularity of the encoded length. */
const AAC_FRAME_SECONDS = 1024 / 48000;

/** A temporary directory removed when the current test ends. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'audio-mix-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Renders an ffmpeg lavfi source, through `filter`, to `name` in `dir`. */
async function synth(dir: string, name: string, source: string, filter?: string): Promise<string> {
  const path = join(dir, name);
  await runFfmpeg({ ffmpegPath: ffmpeg, inputs: [{ path: source, options: ['-f', 'lavfi'] }], outputs: [{ path, options: filter ? ['-af', filter] : [] }] });
  return path;
}

/**
 * A speech-like phrase: 300 Hz in syllables of 0.25 s with 0.1 s between them, at `db` dBFS
 * peak (a 16-bit WAV, so anything over 0 dBFS clips).
 */
function phrase(dir: string, name: string, db: number): Promise<string> {
  return synth(dir, name, `sine=f=300:d=${PHRASE}:sample_rate=48000`, `volume=0:enable='gt(mod(t,0.35),0.25)',volume=${db}dB`);
}

/** Music stand-in: a 3 kHz stereo tone, 7 s long, AAC-encoded so looping it crosses real seams. */
function music(dir: string): Promise<string> {
  return synth(dir, 'music.m4a', 'sine=f=3000:d=7:sample_rate=44100', 'volume=-10dB,aformat=channel_layouts=stereo');
}

/** Sentences from espeak-ng, at `db` dB of gain (a 16-bit WAV: high gains clip). */
async function speech(dir: string, name: string, db: number): Promise<string> {
  const raw = join(dir, `raw-${name}`);
  await promisify(execFile)(espeak!, ['-w', raw, 'The quick brown fox jumps over the lazy dog. Every scene gets its own narration, read aloud.']);
  const path = join(dir, name);
  await runFfmpeg({ ffmpegPath: ffmpeg, inputs: [{ path: raw }], outputs: [{ path, options: ['-af', `volume=${db}dB`] }] });
  return path;
}

/** An ffconcat placing `file` at the start of `count` slots of `slot` seconds, as the composer writes it. */
async function narrationList(dir: string, file: string, count: number, slot = SLOT): Promise<string> {
  const lines = ['ffconcat version 1.0'];
  for (let i = 0; i < count; i++) lines.push(`file '${file}'`, ...(i < count - 1 ? [`duration ${slot}`] : []));
  const path = join(dir, 'narration.ffconcat');
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

function mixOptions(dir: string, narrationListPath: string, durationSeconds: number, extra: Partial<MixAudioOptions> = {}): MixAudioOptions {
  return {
    ffmpegPath: ffmpeg,
    narrationListPath,
    durationSeconds,
    audioBitrate: '128k',
    outputPath: join(dir, 'mix.m4a'),
    workDir: dir,
    signal: new AbortController().signal,
    ...extra,
  };
}

const level = (file: string, band: { lowHz: number; highHz: number }, fromSeconds: number, toSeconds: number) =>
  bandLevelDb(ffmpeg, file, { ...band, fromSeconds, toSeconds });

describe('mixAudio loudness', () => {
  const voices: [name: string, make: (dir: string) => Promise<string>, needsEspeak: boolean][] = [
    ['a quiet voice (peaks at -30 dBFS)', (dir) => phrase(dir, 'quiet.wav', -30), false],
    ['a clipping voice', (dir) => phrase(dir, 'loud.wav', 12), false],
    ['quiet speech', (dir) => speech(dir, 'quiet.wav', -24), true],
    ['clipping speech', (dir) => speech(dir, 'loud.wav', 18), true],
  ];
  const cases = voices.flatMap(([name, make, needsEspeak]) => [[name, make, needsEspeak, false] as const, [`${name} over music`, make, needsEspeak, true] as const]);

  it.for(cases)('brings %s to -16 LUFS under a -1 dBTP ceiling, after AAC', async ([, make, needsEspeak, withMusic], { skip }) => {
    if (needsEspeak && !espeak) skip('espeak-ng is not on PATH');
    const dir = await tempDir();
    const list = await narrationList(dir, await make(dir), 4, 6);
    const result = await mixAudio(mixOptions(dir, list, 24, withMusic ? { music: { path: await music(dir) } } : {}));
    const measured = await measureLoudness(ffmpeg, join(dir, 'mix.m4a'));
    expect(Math.abs(measured.integratedLufs + 16)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDb).toBeLessThanOrEqual(-1);
    // The result is the encoded file's own measurement.
    expect(result.integratedLufs).toBeCloseTo(measured.integratedLufs, 1);
    expect(result.truePeakDb).toBeCloseTo(measured.truePeakDb, 1);
  });

  it.skipIf(!espeak)('honours another target and ceiling', async () => {
    const dir = await tempDir();
    const list = await narrationList(dir, await speech(dir, 'speech.wav', 0), 3, 6);
    await mixAudio(mixOptions(dir, list, 18, { targetLufs: -23, truePeakDb: -3, audioBitrate: '64k' }));
    const measured = await measureLoudness(ffmpeg, join(dir, 'mix.m4a'));
    expect(Math.abs(measured.integratedLufs + 23)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDb).toBeLessThanOrEqual(-3);
  });

  it('levels the whole mix when music fills most of the timeline', async () => {
    const dir = await tempDir();
    // The voice speaks a quarter of the time: the bed's pauses pull the mix some 5 LU under it.
    const list = await narrationList(dir, await phrase(dir, 'voice.wav', -6), 3, 10);
    await mixAudio(mixOptions(dir, list, 30, { music: { path: await music(dir) } }));
    const measured = await measureLoudness(ffmpeg, join(dir, 'mix.m4a'));
    expect(Math.abs(measured.integratedLufs + 16)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDb).toBeLessThanOrEqual(-1);
  });

  it('survives silent and very short narration with finite numbers', async () => {
    const dir = await tempDir();
    const silent = await narrationList(dir, await synth(dir, 'silence.wav', 'anullsrc=r=48000:cl=mono', 'atrim=duration=1'), 2);
    expect(await mixAudio(mixOptions(dir, silent, 5))).toEqual({ integratedLufs: -70, truePeakDb: -70 });

    const withMusic = await mixAudio(mixOptions(dir, silent, 5, { music: { path: await music(dir), fadeOutSeconds: 0 } }));
    expect(Number.isFinite(withMusic.integratedLufs) && Number.isFinite(withMusic.truePeakDb)).toBe(true);
    // Music alone keeps its bed level: nothing pushes it up to the voice's target.
    expect(withMusic.integratedLufs).toBeCloseTo(-28, 0);

    const blip = await narrationList(dir, await synth(dir, 'blip.wav', 'sine=f=300:d=0.1'), 1);
    for (const durationSeconds of [0.2, 3]) {
      const result = await mixAudio(mixOptions(dir, blip, durationSeconds));
      expect(Number.isFinite(result.integratedLufs) && Number.isFinite(result.truePeakDb)).toBe(true);
      expect(result.truePeakDb).toBeLessThanOrEqual(-1);
    }
  });
});

describe('mixAudio music bed', () => {
  it('keeps the music under the voice, ducked while it speaks and back up in the pauses', async () => {
    const dir = await tempDir();
    const list = await narrationList(dir, await phrase(dir, 'voice.wav', -6), 5);
    const file = join(dir, 'mix.m4a');
    await mixAudio(mixOptions(dir, list, 20, { music: { path: await music(dir) } }));
    for (let slot = 0; slot < 5; slot++) {
      const start = slot * SLOT;
      const voice = await level(file, VOICE_BAND, start + 0.3, start + PHRASE - 0.1);
      const underVoice = await level(file, MUSIC_BAND, start + 0.3, start + PHRASE - 0.1);
      // The bed is back up from about 0.8 s into a pause (the fade-out starts at 18 s).
      const inPause = await level(file, MUSIC_BAND, start + PHRASE + 0.9, start + SLOT - 0.05);
      expect(underVoice).toBeGreaterThan(-60);
      expect(voice - underVoice).toBeGreaterThanOrEqual(10);
      if (start + SLOT <= 18) expect(inPause - underVoice).toBeGreaterThanOrEqual(8);
    }
    expect(Math.abs((await measureLoudness(ffmpeg, file)).integratedLufs + 16)).toBeLessThanOrEqual(1);
  });

  it('ducks deeper for a larger duckDb and sets the bed level by volumeDb', async () => {
    const dir = await tempDir();
    const list = await narrationList(dir, await phrase(dir, 'voice.wav', -6), 3);
    const musicPath = await music(dir);
    const file = join(dir, 'mix.m4a');
    const depth = async (duckDb: number, volumeDb: number) => {
      await mixAudio(mixOptions(dir, list, 12, { music: { path: musicPath, duckDb, volumeDb, fadeOutSeconds: 0 } }));
      const bed = await level(file, MUSIC_BAND, 7.4, 7.95);
      return { duck: bed - (await level(file, MUSIC_BAND, 4.3, 6.4)), bed };
    };
    const shallow = await depth(6, -12);
    const deep = await depth(20, -12);
    const quieter = await depth(6, -20);
    expect(shallow.duck).toBeGreaterThan(4);
    expect(deep.duck - shallow.duck).toBeGreaterThan(8);
    expect(shallow.bed - quieter.bed).toBeCloseTo(8, 0);
  });

  it('fades the music out over the last fadeOutSeconds', async () => {
    const dir = await tempDir();
    // Narration for the first 8 s only: the end is music alone.
    const list = await narrationList(dir, await phrase(dir, 'voice.wav', -6), 2);
    const file = join(dir, 'mix.m4a');
    await mixAudio(mixOptions(dir, list, 14, { music: { path: await music(dir), fadeOutSeconds: 2 } }));
    const bed = await level(file, MUSIC_BAND, 10, 11.9);
    expect(bed).toBeGreaterThan(-45);
    // Halfway down (-6 dB), then nearly gone.
    expect(await level(file, MUSIC_BAND, 12.9, 13.1)).toBeLessThan(bed - 4);
    expect(await level(file, MUSIC_BAND, 13.8, 14)).toBeLessThan(bed - 20);
  });

  it('writes exactly the asked length, to an AAC frame, with and without music', async () => {
    const dir = await tempDir();
    const list = await narrationList(dir, await phrase(dir, 'voice.wav', -6), 3);
    const durationSeconds = 221 / 30;
    for (const extra of [{}, { music: { path: await music(dir) } }]) {
      await mixAudio(mixOptions(dir, list, durationSeconds, extra));
      const { streams } = await probeMedia(join(dir, 'mix.m4a'));
      expect(streams).toHaveLength(1);
      expect(streams[0]!.codecName).toBe('aac');
      expect(Math.abs(streams[0]!.duration! - durationSeconds)).toBeLessThanOrEqual(AAC_FRAME_SECONDS);
    }
  });

  it('rejects with CancelledError when aborted while encoding', async () => {
    const dir = await tempDir();
    // Silence skips the limiter pass, and 300 s keeps the encoder busy past its first report.
    const list = await narrationList(dir, await synth(dir, 'silence.wav', 'anullsrc=r=48000:cl=mono', 'atrim=duration=1'), 1);
    const controller = new AbortController();
    const run = mixAudio(mixOptions(dir, list, 300, { signal: controller.signal, onTime: () => controller.abort() }));
    await expect(run).rejects.toSatisfy(CancelledError.is);
  });
});

describe('fetchMusic', () => {
  const body = Buffer.from('not really music, but bytes all the same');
  /** What the server answers 200 with, by path. */
  const served = new Map<string, Buffer>([['/track.mp3', body]]);
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = new URL(request.url!, 'http://localhost').pathname;
      const file = served.get(path);
      if (file) response.writeHead(200, { 'content-length': file.length }).end(file);
      else if (path === '/busy') response.writeHead(503).end();
      else if (path === '/declared-huge') response.writeHead(200, { 'content-length': 10 * body.length }).end();
      // No length announced: the limit must count the bytes as they come.
      else if (path === '/endless') Readable.from((function* () { for (;;) yield body; })()).pipe(response);
      // Headers, then nothing: only the timeout ends it.
      else if (path === '/stalled') response.writeHead(200).flushHeaders();
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  function storage(objects: Record<string, Buffer> = {}): StorageProvider {
    return {
      specificationVersion: 'v1',
      provider: 'memory',
      put: () => Promise.reject(new Error('read-only')),
      get: async (key) => {
        if (!objects[key]) throw new NotFoundError(key);
        return Readable.from([objects[key]]);
      },
      stat: async (key) => (objects[key] ? { key, size: objects[key].length } : undefined),
      exists: async (key) => key in objects,
      delete: async () => {},
      url: async (key) => `memory:${key}`,
    };
  }
  const fetchOptions = (workDir: string, extra: { maxBytes?: number; timeoutMs?: number } = {}) => ({ storage: storage({ 'music/bed.mp3': body }), workDir, signal: new AbortController().signal, ...extra });
  const issueField = (error: unknown) => (ValidationError.is(error) ? error.issues.map((i) => i.field) : error);

  it('downloads an http(s) URL and reads a storage key into the work directory', async () => {
    const dir = await tempDir();
    const downloaded = await fetchMusic(`${base}/track.mp3?v=1`, fetchOptions(dir));
    expect(downloaded).toBe(join(dir, 'music.mp3'));
    expect(await readFile(downloaded)).toEqual(body);

    const other = await tempDir();
    const stored = await fetchMusic('music/bed.mp3', fetchOptions(other));
    expect(await readFile(stored)).toEqual(body);
  });

  it('mixes a downloaded track', async () => {
    served.set('/bed.m4a', await readFile(await music(await tempDir())));
    const dir = await tempDir();
    onTestFinished(() => void served.delete('/bed.m4a'));
    const path = await fetchMusic(`${base}/bed.m4a`, fetchOptions(dir));
    const list = await narrationList(dir, await phrase(dir, 'voice.wav', -6), 1);
    await mixAudio(mixOptions(dir, list, 8, { music: { path } }));
    expect(await level(join(dir, 'mix.m4a'), MUSIC_BAND, 4, 5.5)).toBeGreaterThan(-45);
  });

  it('reports a track the request cannot have as a ValidationError on music.source', async () => {
    const dir = await tempDir();
    const missingUrl = await fetchMusic(`${base}/nothing-here.mp3`, fetchOptions(dir)).catch((e: unknown) => e);
    expect(issueField(missingUrl)).toEqual(['music.source']);
    expect((missingUrl as Error).message).toMatch(/HTTP 404/);
    expect(issueField(await fetchMusic('music/none.mp3', fetchOptions(dir)).catch((e: unknown) => e))).toEqual(['music.source']);
    for (const source of [`${base}/track.mp3`, `${base}/declared-huge`, `${base}/endless`, 'music/bed.mp3']) {
      const error = await fetchMusic(source, fetchOptions(dir, { maxBytes: body.length - 1 })).catch((e: unknown) => e);
      expect(issueField(error)).toEqual(['music.source']);
      expect((error as Error).message).toMatch(/larger than/);
    }
  });

  it('reports a server error or a timeout as a retryable ProviderError', async () => {
    const dir = await tempDir();
    for (const [source, message] of [[`${base}/busy`, /HTTP 503/], [`${base}/stalled`, /longer than 0.2 s/]] as const) {
      const error = await fetchMusic(source, fetchOptions(dir, { timeoutMs: 200 })).catch((e: unknown) => e);
      expect(ProviderError.is(error) && error.retryable).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/music\.source/);
    }
  });

  it('rejects with CancelledError when the job is cancelled', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    const run = fetchMusic(`${base}/stalled`, { ...fetchOptions(dir), signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toSatisfy(CancelledError.is);
  });
});
