import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError, type ImageRequest } from '@scriptsensei/core';
import { pngSize, runImageProviderContract } from '@scriptsensei/core/testing';
import { createOpenAIImages, type OpenAIImagesOptions } from '@scriptsensei/adapters/images/openai';
import { startVendorServer, type RecordedRequest, type Reply } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';
import { failure, thrown } from './helpers/outcomes.js';

const KEY = 'sk-proj-openai-test-7d3e91c0a5';
const GENERATIONS = '/v1/images/generations';
const MODELS: Record<string, { sizes: string[]; maxPrompt: number; base64: boolean }> = {
  'gpt-image-1': { sizes: ['1024x1024', '1536x1024', '1024x1536'], maxPrompt: 32_000, base64: false },
  'dall-e-3': { sizes: ['1024x1024', '1792x1024', '1024x1792'], maxPrompt: 4000, base64: true },
  'dall-e-2': { sizes: ['256x256', '512x512', '1024x1024'], maxPrompt: 1000, base64: true },
};

/** A real PNG of the given size, drawn by resvg. */
function picture(width: number, height: number): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#2a6f97"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#f4a261"/></svg>`;
  return Buffer.from(new Resvg(svg).render().asPng());
}

const refuse = (message: string): Reply => ({ status: 400, body: { error: { message, type: 'invalid_request_error', param: null, code: null } } });

/** The local stand-in for api.openai.com/v1, checking requests as the API reference documents them. */
function openAI(request: RecordedRequest): Reply {
  // Presigned downloads carry no key.
  if (request.method === 'GET' && request.path === '/files/picture.png') return { headers: { 'content-type': 'image/png' }, body: picture(1024, 1024) };
  if (request.headers.authorization !== `Bearer ${KEY}`) return { status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } };
  if (request.method === 'GET' && request.path.startsWith('/v1/models/')) return { body: { id: request.path.slice('/v1/models/'.length), object: 'model', owned_by: 'system' } };
  if (request.method !== 'POST' || request.path !== GENERATIONS) return { status: 404, body: { error: { message: `Invalid URL (${request.method} ${request.path})` } } };
  if (request.headers['content-type'] !== 'application/json') return refuse('Expected a JSON body.');
  const body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
  const model = MODELS[String(body.model)];
  if (!model) return refuse(`Invalid value for 'model': ${String(body.model)}.`);
  if (typeof body.prompt !== 'string' || !body.prompt || body.prompt.length > model.maxPrompt) return refuse(`Invalid 'prompt': string too long or empty.`);
  if (body.n !== 1) return refuse(`Invalid 'n'.`);
  if (!model.sizes.includes(String(body.size))) return refuse(`Invalid value for 'size': ${String(body.size)}. Supported values are: ${model.sizes.join(', ')}.`);
  if (model.base64 ? body.response_format !== 'b64_json' : 'response_format' in body) return refuse("Unknown or unexpected parameter: 'response_format'.");
  const [width, height] = String(body.size).split('x').map(Number) as [number, number];
  return { body: { created: 1_767_225_600, data: [{ b64_json: picture(width, height).toString('base64') }] } };
}

const server = await startVendorServer(openAI);
const scratch = mkdtempSync(join(tmpdir(), 'openai-images-'));
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const create = (options: OpenAIImagesOptions = {}) => createOpenAIImages({ apiKey: KEY, baseUrl: `${server.url}/v1`, env: {}, ...options });
const request = (name: string, overrides: Partial<ImageRequest> = {}): ImageRequest => ({
  text: 'A lighthouse on a cliff at dusk.',
  title: 'Coasts',
  sceneIndex: 0,
  sceneCount: 2,
  width: 1920,
  height: 1080,
  outputPath: join(scratch, name),
  ...overrides,
});
/** The generation requests whose prompt holds `text` (each test draws its own scene). */
const generationsFor = (text: string) =>
  server.requests.filter((r) => r.path === GENERATIONS).map((r) => ({ ...r, json: JSON.parse(r.body.toString('utf8')) as Record<string, unknown> })).filter((r) => String(r.json.prompt).includes(text));

runImageProviderContract({ name: 'openai-images (local fake API)', create: () => create() });

runVendorBehaviour({
  name: 'openai-images',
  server: () => server,
  secret: KEY,
  path: GENERATIONS,
  call: (http, signal) => create(http).generate(request('behaviour.png', { signal })),
});

describe('openai-images protocol', () => {
  it.each([
    [1920, 1080, '1536x1024'],
    [1080, 1920, '1024x1536'],
    [1080, 1080, '1024x1024'],
  ])('%ix%i: asks gpt-image-1 for %s and writes the PNG it sends', async (width, height, size) => {
    const text = `A harbour at dawn, ${width} by ${height}.`;
    const path = join(scratch, `size-${width}x${height}.png`);
    await expect(create().generate(request(`size-${width}x${height}.png`, { text, width, height }))).resolves.toEqual({ format: 'png' });
    const [sent] = generationsFor(text);
    expect(sent!.method).toBe('POST');
    expect(sent!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent!.headers['openai-organization']).toBeUndefined();
    expect(sent!.json).toEqual({ model: 'gpt-image-1', prompt: expect.any(String), size, n: 1 });
    const [w, h] = size.split('x').map(Number);
    expect(await pngSize(path)).toEqual({ width: w, height: h });
  });

  it('builds the prompt from the scene, the title and the style, asks for no lettering, and drops control characters', async () => {
    await create().generate(request('prompt.png', { text: 'Waves\u0000 break\non\trocks.', title: 'Sea\u001b[31m stories', style: 'film_noir' }));
    const prompt = String(generationsFor('Waves break on rocks.')[0]!.json.prompt);
    expect(prompt).toContain('titled "Sea [31m stories"');
    expect(prompt).toContain('Style: film noir.');
    expect(prompt).toMatch(/Do not draw any text, letters/);
    expect(prompt).not.toMatch(/[\u0000\u001b\t]/);
  });

  it('dall-e-3: its own sizes, base64 asked for, quality sent, and the prompt cut to 4000 characters', async () => {
    const text = `Marker-dalle ${'a very long scene description '.repeat(200)}`;
    await create({ model: 'dall-e-3', quality: 'hd' }).generate(request('dalle.png', { text }));
    const [sent] = generationsFor('Marker-dalle');
    expect(sent!.json).toMatchObject({ model: 'dall-e-3', size: '1792x1024', quality: 'hd', response_format: 'b64_json', n: 1 });
    const prompt = String(sent!.json.prompt);
    expect(prompt.length).toBeLessThanOrEqual(4000);
    expect(prompt.length).toBeGreaterThan(3800);
    expect(prompt).toMatch(/ [a-z]+…\nDo not draw/);
  });

  it('downloads a picture answered by URL, without sending the key there', async () => {
    server.failNext({ body: { created: 1, data: [{ url: `${server.url}/files/picture.png?se=2030&sig=abc` }] } });
    await expect(create().generate(request('by-url.png', { text: 'Fetched by URL.' }))).resolves.toEqual({ format: 'png' });
    const download = server.requests.find((r) => r.path === '/files/picture.png')!;
    expect(download.headers.authorization).toBeUndefined();
    expect(await pngSize(join(scratch, 'by-url.png'))).toEqual({ width: 1024, height: 1024 });
  });

  it('a content-policy refusal fails at once, not retryable, with the vendor message', async () => {
    const message = 'Your request was rejected as a result of our safety system.';
    server.failNext({ status: 400, body: { error: { code: 'content_policy_violation', message, param: null, type: 'invalid_request_error' } } });
    const before = server.requests.length;
    const error = await failure(create().generate(request('refused.png', { text: 'Refused scene.' })));
    expect(ProviderError.is(error), String(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, retryable: false, provider: 'openai-images' });
    expect((error as ProviderError).message).toContain(message);
    expect(server.requests.length - before).toBe(1);
  });

  it('an answer that is not an image is a non-retryable error and writes nothing', async () => {
    server.failNext({ body: { created: 1, data: [{ b64_json: Buffer.from('<html>not a picture</html>').toString('base64') }] } });
    const error = await failure(create().generate(request('html.png', { text: 'Not a picture.' })));
    expect(ProviderError.is(error) && error.retryable).toBe(false);
    await expect(readFile(join(scratch, 'html.png'))).rejects.toThrow(/ENOENT/);
  });

  it('health check reads the model', async () => {
    await create().healthCheck!();
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models/gpt-image-1' });
  });
});

describe('openai-images configuration', () => {
  it('reads the key, base URL and organization from the environment, and needs a key', async () => {
    const images = createOpenAIImages({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1/`, OPENAI_ORG_ID: 'org-test' } });
    await images.generate(request('env.png', { text: 'Configured from env.' }));
    expect(generationsFor('Configured from env.')[0]!.headers['openai-organization']).toBe('org-test');
    const error = thrown(() => createOpenAIImages({ env: {} }));
    expect(ConfigurationError.is(error) && error.message).toMatch(/OPENAI_API_KEY/);
  });

  it('refuses a quality the model does not take', () => {
    expect(() => create({ quality: 'hd' })).toThrow(/gpt-image-1 takes quality low, medium, high, auto/);
    expect(() => create({ model: 'dall-e-3', quality: 'low' })).toThrow(/dall-e-3 takes quality standard, hd/);
  });

  it('fingerprints the model and quality, never the key', () => {
    const all = [create(), create({ quality: 'high' }), create({ model: 'dall-e-3' })];
    expect(new Set(all.map((p) => p.fingerprint)).size).toBe(3);
    expect(all.every((p) => !p.fingerprint!.includes(KEY))).toBe(true);
  });
});
