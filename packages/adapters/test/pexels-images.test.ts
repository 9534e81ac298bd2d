import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ConfigurationError, ProviderError, resolveBinaries, type ImageRequest } from '@scriptsensei/core';
import { runImageProviderContract, sniffImageFormat } from '@scriptsensei/core/testing';
import { createPexelsImages, extractKeywords, searchQueries, type PexelsImagesOptions } from '@scriptsensei/adapters/images/pexels';
import { KEY, startPexels } from './helpers/pexels-server.js';
import { startVendorServer, type VendorServer } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';
import { failure } from './helpers/outcomes.js';

const run = promisify(execFile);
const FAST = { timeoutMs: 10_000, maxRetries: 1, retryBaseMs: 5 };

let dir: string;
let jpeg: Buffer;
let mp4: Buffer;
let contractServer: VendorServer;
let behaviourServer: VendorServer;
let outputs = 0;

function provider(server: VendorServer, options: PexelsImagesOptions = {}) {
  return createPexelsImages({ apiKey: KEY, baseUrl: server.url, env: {}, ...FAST, ...options });
}

function request(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return {
    text: 'Astronauts landed on the Moon’s dusty surface in 1969.',
    title: 'The Apollo Program',
    sceneIndex: 0,
    sceneCount: 4,
    width: 1920,
    height: 1080,
    durationSeconds: 5,
    outputPath: join(dir, `out-${++outputs}`),
    ...overrides,
  };
}

const searches = (server: VendorServer) => server.requests.filter((r) => r.path.endsWith('/search'));
const downloads = (server: VendorServer) => server.requests.filter((r) => !r.path.endsWith('/search'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pexels-'));
  const { ffmpeg } = resolveBinaries();
  const still = join(dir, 'still.jpg');
  const clip = join(dir, 'clip.mp4');
  await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1280', '-frames:v', '1', still]);
  await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-t', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
  [jpeg, mp4] = await Promise.all([readFile(still), readFile(clip)]);
  [contractServer, behaviourServer] = await Promise.all([startPexels({ jpeg, mp4 }), startPexels({ jpeg, mp4 })]);
});
afterAll(async () => {
  await Promise.all([contractServer.close(), behaviourServer.close()]);
  await rm(dir, { recursive: true, force: true });
});

runImageProviderContract({ name: 'pexels photos', create: () => provider(contractServer, { media: 'photos' }) });
runImageProviderContract({ name: 'pexels videos', create: () => provider(contractServer, { media: 'videos' }), capabilities: { clips: true } });

runVendorBehaviour({
  name: 'pexels',
  server: () => behaviourServer,
  call: (http, signal) => provider(behaviourServer, http).generate(request({ signal })),
  secret: KEY,
  path: '/v1/search',
});

describe('pexels keywords', () => {
  it('drops stop words, punctuation, numbers and possessives, keeping the longer words in text order', () => {
    expect(extractKeywords('In 1969, astronauts landed on the Moon’s dusty surface — quietly.')).toEqual(['astronauts', 'dusty', 'surface']);
    expect(extractKeywords('Then the rover, slowly and carefully, crossed a crater!', 2)).toEqual(['rover', 'crater']);
  });

  it('counts a plural as its singular and keeps other scripts', () => {
    expect(extractKeywords('Mountain after mountain: mountains, everywhere.')).toEqual(['mountain', 'everywhere']);
    expect(extractKeywords('Привет, мир!')).toEqual(['привет', 'мир']);
    expect(extractKeywords('日本語のテキストです。')).toEqual(['日本語のテキストです']);
  });

  it('finds nothing in numbers, stop words and non-words', () => {
    expect(extractKeywords('1, 2, 3 — and then it was over!')).toEqual([]);
    expect(extractKeywords('x'.repeat(500))).toEqual([]);
  });

  it('plans queries: keywords with the style, fewer keywords, then the title', () => {
    expect(searchQueries({ text: 'Astronauts landed on the Moon’s dusty surface.', title: 'The Apollo Program', style: 'film_noir' })).toEqual([
      'astronauts dusty surface film noir',
      'astronauts dusty',
      'astronauts',
      'apollo program',
    ]);
    expect(searchQueries({ text: 'Oceans.', title: 'Oceans' })).toEqual(['oceans']);
    expect(searchQueries({ text: '1, 2, 3!', title: 'The' })).toEqual([]);
  });
});

describe('pexels photos', () => {
  it('searches by the scene keywords with the raw key, and downloads the original cropped to the frame without it', async () => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      const req = request();
      expect(await provider(server).generate(req)).toEqual({ format: 'jpeg' });
      expect(await sniffImageFormat(req.outputPath)).toBe('jpeg');
      const [search] = searches(server);
      expect(search).toMatchObject({ method: 'GET', path: '/v1/search', headers: { authorization: KEY } });
      expect(Object.fromEntries(search!.url.searchParams)).toEqual({ query: 'astronauts dusty surface', orientation: 'landscape', size: 'small', per_page: '15' });
      const [download] = downloads(server);
      expect(download!.path).toBe('/photos/100/pexels-photo-100.jpeg');
      expect(Object.fromEntries(download!.url.searchParams)).toEqual({ auto: 'compress', cs: 'tinysrgb', fit: 'crop', w: '1920', h: '1080' });
    } finally {
      await server.close();
    }
  });

  it.each([
    [1080, 1920, 'portrait'],
    [1080, 1080, 'square'],
    [1080, 1350, 'portrait'],
    [3840, 2160, 'landscape'],
  ])('asks for the frame orientation (%ix%i: %s)', async (width, height, orientation) => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      await provider(server).generate(request({ width, height }));
      expect(searches(server)[0]!.url.searchParams.get('orientation')).toBe(orientation);
      expect(Object.fromEntries(downloads(server)[0]!.url.searchParams)).toMatchObject({ w: String(width), h: String(height) });
    } finally {
      await server.close();
    }
  });

  it('varies the pick with the scene, and picks the same for the same request', async () => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      const pexels = provider(server);
      for (const sceneIndex of [0, 1, 2, 1]) await pexels.generate(request({ sceneIndex }));
      expect(downloads(server).map((d) => d.path)).toEqual(['/photos/100/pexels-photo-100.jpeg', '/photos/101/pexels-photo-101.jpeg', '/photos/102/pexels-photo-102.jpeg', '/photos/101/pexels-photo-101.jpeg']);
    } finally {
      await server.close();
    }
  });

  it('retries with fewer keywords, then with the title, when a search finds nothing', async () => {
    const server = await startPexels({ jpeg, mp4 }, { photos: (query) => (query === 'apollo program' ? 3 : 0) });
    try {
      const req = request();
      expect(await provider(server).generate(req)).toEqual({ format: 'jpeg' });
      expect(searches(server).map((s) => s.url.searchParams.get('query'))).toEqual(['astronauts dusty surface', 'astronauts dusty', 'astronauts', 'apollo program']);
      expect(existsSync(req.outputPath)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('fails, not retryable, naming what it searched for, when nothing is found', async () => {
    const server = await startPexels({ jpeg, mp4 }, { photos: () => 0 });
    try {
      const req = request({ title: undefined });
      const error = await failure(provider(server).generate(req));
      expect(ProviderError.is(error), String(error)).toBe(true);
      expect((error as ProviderError).retryable).toBe(false);
      expect((error as ProviderError).message).toBe('pexels: no photos found for "astronauts dusty surface", "astronauts dusty", "astronauts"');
      expect(existsSync(req.outputPath)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('refuses a download that is not an image and leaves no file', async () => {
    const server = await startPexels({ jpeg, mp4 }, { download: () => ({ headers: { 'content-type': 'text/html' }, body: '<html>not found</html>' }) });
    try {
      const req = request();
      const error = await failure(provider(server).generate(req));
      expect(ProviderError.is(error) && !error.retryable, String(error)).toBe(true);
      expect(String(error)).toMatch(/not a PNG, JPEG or WebP/);
      expect(existsSync(req.outputPath)).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('pexels clips', () => {
  it('picks a clip lasting the scene, in the smallest mp4 covering the frame', async () => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      const req = request({ durationSeconds: 5 });
      expect(await provider(server, { media: 'videos' }).generate(req)).toEqual({ kind: 'clip', format: 'mp4' });
      const [search] = searches(server);
      expect(search).toMatchObject({ method: 'GET', path: '/videos/search', headers: { authorization: KEY } });
      expect(Object.fromEntries(search!.url.searchParams)).toEqual({ query: 'astronauts dusty surface', orientation: 'landscape', size: 'medium', per_page: '15' });
      expect(downloads(server).map((d) => d.path)).toEqual(['/video-files/200-1920x1080.mp4']);
      expect((await readFile(req.outputPath)).equals(mp4)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('varies the clip with the scene among those long enough, and takes the longest when none is', async () => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      const pexels = provider(server, { media: 'videos' });
      await pexels.generate(request({ sceneIndex: 0, durationSeconds: 5 }));
      await pexels.generate(request({ sceneIndex: 1, durationSeconds: 5 }));
      await pexels.generate(request({ sceneIndex: 2, durationSeconds: 5 }));
      await pexels.generate(request({ sceneIndex: 1, durationSeconds: 30 }));
      // Durations 8, 2, 12: the 2 s video is never picked for a 5 s scene.
      expect(downloads(server).map((d) => d.path)).toEqual(['/video-files/200-1920x1080.mp4', '/video-files/202-1920x1080.mp4', '/video-files/200-1920x1080.mp4', '/video-files/202-1920x1080.mp4']);
    } finally {
      await server.close();
    }
  });

  it('asks for portrait clips for a portrait frame and covers it', async () => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      await provider(server, { media: 'videos' }).generate(request({ width: 1080, height: 1920 }));
      expect(searches(server)[0]!.url.searchParams.get('orientation')).toBe('portrait');
      expect(downloads(server).map((d) => d.path)).toEqual(['/video-files/200-1080x1920.mp4']);
    } finally {
      await server.close();
    }
  });

  it('takes the UHD file when the frame is larger than HD', async () => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      await provider(server, { media: 'videos' }).generate(request({ width: 2560, height: 1440 }));
      expect(searches(server)[0]!.url.searchParams.get('size')).toBe('large');
      expect(downloads(server).map((d) => d.path)).toEqual(['/video-files/200-3840x2160.mp4']);
    } finally {
      await server.close();
    }
  });

  it('auto: a clip when one lasts the scene, else a photo', async () => {
    const server = await startPexels({ jpeg, mp4 }, { videos: () => [3, 4] });
    try {
      const pexels = provider(server, { media: 'auto' });
      expect(await pexels.generate(request({ durationSeconds: 4 }))).toEqual({ kind: 'clip', format: 'mp4' });
      server.reset();
      expect(await pexels.generate(request({ durationSeconds: 6 }))).toEqual({ format: 'jpeg' });
      expect(searches(server).map((s) => s.path)).toEqual(['/videos/search', '/v1/search']);
    } finally {
      await server.close();
    }
  });

  it('auto: the short clip when there is no photo', async () => {
    const server = await startPexels({ jpeg, mp4 }, { videos: () => [3], photos: () => 0 });
    try {
      expect(await provider(server, { media: 'auto' }).generate(request({ durationSeconds: 6 }))).toEqual({ kind: 'clip', format: 'mp4' });
    } finally {
      await server.close();
    }
  });

  it.each(['declared', 'streamed'])('refuses a clip over maxClipBytes (%s size) and leaves no file', async (label) => {
    // Declared: the length is in the headers, refused before reading; streamed: counted while writing.
    const headers: Record<string, string> = label === 'declared' ? { 'content-length': String(mp4.length) } : { 'transfer-encoding': 'chunked' };
    const server = await startPexels({ jpeg, mp4 }, { download: () => ({ headers: { 'content-type': 'video/mp4', ...headers }, body: mp4 }) });
    try {
      const req = request();
      const error = await failure(provider(server, { media: 'videos', maxClipBytes: 1000 }).generate(req));
      expect(ProviderError.is(error), String(error)).toBe(true);
      expect((error as ProviderError).retryable).toBe(false);
      expect((error as ProviderError).message).toMatch(/over the 1000-byte limit/);
      expect(existsSync(req.outputPath)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('the signal cancels a clip download in flight, leaving no file', async () => {
    let downloadStarted!: () => void;
    const started = new Promise<void>((resolve) => (downloadStarted = resolve));
    const server = await startPexels({ jpeg, mp4 }, {
      download: () => {
        downloadStarted();
        return 'hang';
      },
    });
    try {
      const controller = new AbortController();
      const req = request({ signal: controller.signal });
      const pending = failure(provider(server, { media: 'videos' }).generate(req));
      await started;
      controller.abort();
      expect(CancelledError.is(await pending)).toBe(true);
      expect(existsSync(req.outputPath)).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('pexels settings', () => {
  it('needs a key, naming PEXELS_API_KEY, and reads the key and base URL from env', async () => {
    expect(() => createPexelsImages({ env: {} })).toThrow(ConfigurationError);
    expect(() => createPexelsImages({ env: {} })).toThrow(/PEXELS_API_KEY/);
    expect(() => createPexelsImages({ apiKey: KEY, env: {}, media: 'gifs' as never })).toThrow(/photos, videos, auto/);
    expect(() => createPexelsImages({ apiKey: KEY, env: {}, maxClipBytes: 0 })).toThrow(/maxClipBytes/);
    const server = await startPexels({ jpeg, mp4 });
    try {
      const req = request();
      await createPexelsImages({ env: { PEXELS_API_KEY: KEY, PEXELS_BASE_URL: `${server.url}/` }, ...FAST }).generate(req);
      expect(searches(server)[0]!.headers.authorization).toBe(KEY);
    } finally {
      await server.close();
    }
  });

  it('fingerprints the media and base URL, never the key', () => {
    const photos = createPexelsImages({ apiKey: KEY, env: {} });
    const videos = createPexelsImages({ apiKey: KEY, env: {}, media: 'videos' });
    const proxied = createPexelsImages({ apiKey: KEY, env: {}, baseUrl: 'https://pexels.proxy.example' });
    expect(new Set([photos.fingerprint, videos.fingerprint, proxied.fingerprint]).size).toBe(3);
    expect(photos.fingerprint).toContain('https://api.pexels.com');
    for (const p of [photos, videos, proxied]) expect(p.fingerprint).not.toContain(KEY);
    expect(photos.specificationVersion).toBe('v2');
  });

  it('an exhausted quota (a bare 429, the reset an hour off as the last answer said) fails at once, retryable', async () => {
    const server = await startPexels({ jpeg, mp4 });
    try {
      const pexels = provider(server, { maxRetries: 3, media: 'photos' });
      await pexels.generate(request());
      server.reset();
      server.failNext({ status: 429, body: { error: 'Rate limit exceeded' } });
      const error = await failure(pexels.generate(request()));
      expect(ProviderError.is(error), String(error)).toBe(true);
      expect((error as ProviderError).retryable).toBe(true);
      expect((error as ProviderError).status).toBe(429);
      expect(searches(server)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('checks its health with one curated photo', async () => {
    const server = await startVendorServer((r) => (r.path === '/v1/curated' && r.headers.authorization === KEY ? { body: { photos: [] } } : { status: 401, body: { error: 'bad key' } }));
    try {
      await provider(server).healthCheck!();
      expect(server.requests.map((r) => `${r.path}?${r.url.searchParams}`)).toEqual(['/v1/curated?per_page=1']);
    } finally {
      await server.close();
    }
  });
});
