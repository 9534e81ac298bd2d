import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError, type ImageRequest } from '@scriptsensei/core';
import { pngSize, runImageProviderContract } from '@scriptsensei/core/testing';
import { createStabilityImages, type StabilityImagesOptions } from '@scriptsensei/adapters/images/stability';
import { startVendorServer, type RecordedRequest, type Reply } from './helpers/vendor-server.js';
import { runVendorBehaviour } from './helpers/vendor-behaviour.js';
import { failure, thrown } from './helpers/outcomes.js';

const KEY = 'sk-stability-test-0b8f2d6c4e';
const GENERATE = /^\/v2beta\/stable-image\/generate\/(core|ultra|sd3)$/;
const RATIOS: Record<string, [number, number]> = { '16:9': [1344, 768], '9:16': [768, 1344], '1:1': [1024, 1024], '21:9': [1536, 640], '3:2': [1216, 832] };

/** A real PNG of the given size, drawn by resvg. */
function picture(width: number, height: number): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#264653"/><rect x="${width / 4}" y="${height / 4}" width="${width / 2}" height="${height / 2}" fill="#e9c46a"/></svg>`;
  return Buffer.from(new Resvg(svg).render().asPng());
}

/** The multipart form a request carried, parsed by the platform's own parser. */
async function formOf(request: RecordedRequest): Promise<Record<string, string>> {
  const form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
  const fields: Record<string, string> = {};
  form.forEach((value, name) => (fields[name] = String(value)));
  return fields;
}

const refuse = (errors: string[], status = 400): Reply => ({ status, body: { id: 'a1b2c3', name: status === 403 ? 'content_moderation' : 'bad_request', errors } });

/** The local stand-in for api.stability.ai, checking requests as the API reference documents them. */
async function stability(request: RecordedRequest): Promise<Reply> {
  if (request.headers.authorization !== `Bearer ${KEY}`) return { status: 401, body: { id: 'a1', name: 'unauthorized', errors: ['missing or invalid authorization header'] } };
  if (request.method === 'GET' && request.path === '/v1/user/balance') return { body: { credits: 42 } };
  if (request.method !== 'POST' || !GENERATE.test(request.path)) return { status: 404, body: { id: 'a2', name: 'not_found', errors: [`${request.path} not found`] } };
  if (request.headers.accept !== 'image/*') return refuse(['accept: must be image/* or application/json']);
  if (!String(request.headers['content-type']).startsWith('multipart/form-data')) return refuse(['content-type: must be multipart/form-data']);
  const form = await formOf(request);
  if (!form.prompt || form.prompt.length > 10_000) return refuse(['prompt: must be 1-10000 characters']);
  const size = RATIOS[form.aspect_ratio ?? ''];
  if (!size) return refuse([`aspect_ratio: must be one of ${Object.keys(RATIOS).join(', ')}`]);
  if (form.output_format !== 'png') return refuse(['output_format: expected png for this test']);
  return { headers: { 'content-type': 'image/png', 'finish-reason': 'SUCCESS', seed: '12345' }, body: picture(...size) };
}

const server = await startVendorServer(stability);
const scratch = mkdtempSync(join(tmpdir(), 'stability-images-'));
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const create = (options: StabilityImagesOptions = {}) => createStabilityImages({ apiKey: KEY, baseUrl: server.url, env: {}, ...options });
const request = (name: string, overrides: Partial<ImageRequest> = {}): ImageRequest => ({
  text: 'A fox crossing a snowy field.',
  title: 'Winter',
  sceneIndex: 0,
  sceneCount: 2,
  width: 1920,
  height: 1080,
  outputPath: join(scratch, name),
  ...overrides,
});
/** The generate requests whose prompt holds `text`, with their forms (each test draws its own scene). */
async function generationsFor(text: string) {
  const all = await Promise.all(server.requests.filter((r) => GENERATE.test(r.path)).map(async (r) => ({ ...r, form: await formOf(r) })));
  return all.filter((r) => r.form.prompt?.includes(text));
}

runImageProviderContract({ name: 'stability (local fake API)', create: () => create() });

runVendorBehaviour({
  name: 'stability',
  server: () => server,
  secret: KEY,
  path: GENERATE,
  call: (http, signal) => create(http).generate(request('behaviour.png', { signal })),
});

describe('stability protocol', () => {
  it.each([
    [1920, 1080, '16:9'],
    [1080, 1920, '9:16'],
    [1080, 1080, '1:1'],
    [2560, 1080, '21:9'],
  ])('%ix%i: posts a multipart form asking for %s, and writes the PNG it sends', async (width, height, ratio) => {
    const text = `A frozen lake, ${width} by ${height}.`;
    const path = join(scratch, `ratio-${width}x${height}.png`);
    await expect(create().generate(request(`ratio-${width}x${height}.png`, { text, width, height }))).resolves.toEqual({ format: 'png' });
    const [sent] = await generationsFor(text);
    expect(sent).toMatchObject({ method: 'POST', path: '/v2beta/stable-image/generate/core' });
    expect(sent!.headers).toMatchObject({ authorization: `Bearer ${KEY}`, accept: 'image/*' });
    expect(sent!.form).toEqual({
      prompt: expect.stringContaining(text),
      aspect_ratio: ratio,
      output_format: 'png',
      negative_prompt: 'text, letters, words, captions, watermark, logo, signature',
    });
    expect(sent!.form.prompt).toMatch(/Do not draw any text, letters/);
    const [w, h] = RATIOS[ratio]!;
    expect(await pngSize(path)).toEqual({ width: w, height: h });
  });

  it('a request style naming a preset is sent as style_preset; any other style goes into the prompt', async () => {
    await create().generate(request('anime.png', { text: 'Marker-anime scene.', style: 'anime' }));
    const [anime] = await generationsFor('Marker-anime');
    expect(anime!.form.style_preset).toBe('anime');
    expect(anime!.form.prompt).not.toContain('Style:');

    await create({ stylePreset: 'line-art', model: 'ultra', negativePrompt: 'people' }).generate(request('ink.png', { text: 'Marker-ink scene.', style: 'ink_wash' }));
    const [ink] = await generationsFor('Marker-ink');
    expect(ink!.path).toBe('/v2beta/stable-image/generate/ultra');
    expect(ink!.form).toMatchObject({ style_preset: 'line-art', negative_prompt: 'people' });
    expect(ink!.form.prompt).toContain('Style: ink wash.');
  });

  it('rebuilds the form for each attempt', async () => {
    server.failNext({ status: 503, body: { id: 'b1', name: 'service_unavailable', errors: ['busy'] } });
    await create({ retryBaseMs: 1 }).generate(request('retried.png', { text: 'Marker-retry scene.' }));
    const attempts = await generationsFor('Marker-retry');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.form).toEqual(attempts[0]!.form);
  });

  it('a moderation refusal (403) fails at once with the vendor message', async () => {
    server.failNext(refuse(['Your request was flagged by our content moderation system, as a result your request was denied.'], 403));
    const error = await failure(create().generate(request('refused.png', { text: 'Refused scene.' })));
    expect(ProviderError.is(error), String(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, retryable: false });
    expect((error as ProviderError).message).toContain('flagged by our content moderation system');
  });

  it('a picture the vendor filtered (finish-reason CONTENT_FILTERED) is not accepted', async () => {
    server.failNext({ headers: { 'content-type': 'image/png', 'finish-reason': 'CONTENT_FILTERED' }, body: picture(64, 64) });
    const error = await failure(create().generate(request('filtered.png', { text: 'Filtered scene.' })));
    expect(ProviderError.is(error) && error.retryable).toBe(false);
    expect(String(error)).toMatch(/CONTENT_FILTERED/);
  });

  it('health check reads the balance', async () => {
    await create().healthCheck!();
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/user/balance' });
  });
});

describe('stability configuration', () => {
  it('reads the key and base URL from the environment, and needs a key', async () => {
    const images = createStabilityImages({ env: { STABILITY_API_KEY: KEY, STABILITY_BASE_URL: server.url } });
    await images.generate(request('env.png', { text: 'Configured from env.' }));
    expect(await generationsFor('Configured from env.')).toHaveLength(1);
    const error = thrown(() => createStabilityImages({ env: {} }));
    expect(ConfigurationError.is(error) && error.message).toMatch(/STABILITY_API_KEY/);
  });

  it('refuses an unknown model or style preset', () => {
    expect(() => create({ model: 'sdxl' as never })).toThrow(/model must be one of core, ultra, sd3/);
    expect(() => create({ stylePreset: 'watercolour' as never })).toThrow(/unknown stylePreset "watercolour"/);
  });

  it('fingerprints the model, preset and negative prompt, never the key', () => {
    const all = [create(), create({ model: 'sd3' }), create({ stylePreset: 'anime' }), create({ negativePrompt: 'people' })];
    expect(new Set(all.map((p) => p.fingerprint)).size).toBe(4);
    expect(all.every((p) => !p.fingerprint!.includes(KEY))).toBe(true);
  });
});
