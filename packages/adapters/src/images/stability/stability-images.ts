import type { ImageProvider, ImageRequest, ImageResult } from '@scriptsensei/core';
import { ConfigurationError, ProviderError } from '@scriptsensei/core';
import { PROMPT_VERSION, nearestShape, scenePrompt } from '../prompt/index.js';
import { httpBase, optionOrEnv, requiredApiKey, vendorCall, vendorJson, writeImage, type VendorOptions } from '../../vendor/index.js';
import { STABILITY_ASPECT_RATIOS, isStylePreset, type StabilityStylePreset } from './stability-presets.js';

/** Stability's text-to-image endpoints: Stable Image Core, Stable Image Ultra, Stable Diffusion 3.5. */
export type StabilityModel = 'core' | 'ultra' | 'sd3';

export interface StabilityImagesOptions extends VendorOptions {
  /**
   * Stability API key, sent as `Authorization: Bearer`.
   * @defaultValue `STABILITY_API_KEY`
   */
  apiKey?: string;
  /**
   * Base URL of the API.
   * @defaultValue `STABILITY_BASE_URL`, else `https://api.stability.ai`
   */
  baseUrl?: string;
  /**
   * Which endpoint draws: `core` (fast, cheap), `ultra` (best), `sd3` (Stable Diffusion 3.5 Large).
   * @defaultValue 'core'
   */
  model?: StabilityModel;
  /**
   * Style preset for every picture. A request's `style` naming a preset wins; any other `style`
   * goes into the prompt as words.
   * @defaultValue undefined (none)
   */
  stylePreset?: StabilityStylePreset;
  /**
   * What the pictures must not show.
   * @defaultValue 'text, letters, words, captions, watermark, logo, signature'
   */
  negativePrompt?: string;
  /**
   * Longest one attempt may take.
   * @defaultValue 120000
   */
  timeoutMs?: number;
  /**
   * Where the `STABILITY_*` variables are read from.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

const PROVIDER = 'stability';
const DEFAULT_BASE_URL = 'https://api.stability.ai';
const MODELS: readonly StabilityModel[] = ['core', 'ultra', 'sd3'];
const NEGATIVE = 'text, letters, words, captions, watermark, logo, signature';
/** The generate endpoints' prompt limit, in characters. */
const MAX_PROMPT_LENGTH = 10_000;

/**
 * Scene pictures drawn by Stability AI's Stable Image API
 * (`POST /v2beta/stable-image/generate/{model}`, multipart form, PNG bytes back) from a prompt
 * built of the scene's text, the title and the request's `style`. Each request gets the aspect
 * ratio nearest its shape (16:9, 9:16, 1:1…); the pipeline letterboxes it to the frame. A picture
 * the vendor's moderation refused or blurred is a non-retryable `ProviderError`.
 */
export function createStabilityImages(options: StabilityImagesOptions = {}): ImageProvider {
  const env = options.env ?? process.env;
  const apiKey = requiredApiKey(PROVIDER, options.apiKey, env, 'STABILITY_API_KEY');
  const base = httpBase(PROVIDER, 'baseUrl', optionOrEnv(options.baseUrl, env, 'STABILITY_BASE_URL') ?? DEFAULT_BASE_URL);
  const model = options.model ?? 'core';
  if (!MODELS.includes(model)) throw new ConfigurationError(`${PROVIDER} model must be one of ${MODELS.join(', ')}, got "${model}"`);
  if (options.stylePreset !== undefined && !isStylePreset(options.stylePreset)) {
    throw new ConfigurationError(`${PROVIDER}: unknown stylePreset "${options.stylePreset}"`);
  }
  const negativePrompt = options.negativePrompt ?? NEGATIVE;
  const http = { ...options, timeoutMs: options.timeoutMs ?? 120_000 };
  const call = { provider: PROVIDER, secrets: [apiKey] };
  const authorization = `Bearer ${apiKey}`;

  return {
    specificationVersion: 'v1',
    provider: PROVIDER,
    fingerprint: JSON.stringify({ model, stylePreset: options.stylePreset, negativePrompt, prompt: PROMPT_VERSION }),
    async generate(request: ImageRequest): Promise<ImageResult> {
      const named = isStylePreset(request.style);
      const fields: Record<string, string | undefined> = {
        prompt: scenePrompt({ text: request.text, title: request.title, style: named ? undefined : request.style }, MAX_PROMPT_LENGTH),
        aspect_ratio: nearestShape(request.width, request.height, STABILITY_ASPECT_RATIOS).ratio,
        output_format: 'png',
        negative_prompt: negativePrompt,
        style_preset: named ? request.style : options.stylePreset,
      };
      const form = () => {
        // A form is consumed when sent: each attempt gets a fresh one.
        const body = new FormData();
        for (const [name, value] of Object.entries(fields)) if (value) body.set(name, value);
        return body;
      };
      const bytes = await vendorCall(
        { ...call, action: 'image generation', url: `${base}/v2beta/stable-image/generate/${model}`, headers: { authorization, accept: 'image/*' }, body: form, signal: request.signal },
        http,
        async (response) => {
          // Moderation may answer 200 with a blurred picture and says so in this header.
          if (response.headers.get('finish-reason') === 'CONTENT_FILTERED') {
            throw new ProviderError(PROVIDER, 'the picture was blocked by Stability\'s content moderation (finish-reason CONTENT_FILTERED)', { retryable: false });
          }
          return Buffer.from(await response.arrayBuffer());
        },
      );
      return { format: await writeImage(PROVIDER, bytes, request.outputPath) };
    },
    async healthCheck() {
      await vendorJson({ ...call, action: 'balance check', url: `${base}/v1/user/balance`, headers: { authorization } }, http);
    },
  };
}
