import type { ImageProvider, ImageRequest, ImageResult } from '@scriptsensei/core';
import { ConfigurationError, ProviderError } from '@scriptsensei/core';
import { PROMPT_VERSION, nearestShape, scenePrompt } from '../prompt/index.js';
import { httpBase, openAIRetryable, optionOrEnv, requiredApiKey, vendorBytes, vendorJson, writeImage, type VendorOptions } from '../../vendor/index.js';
import { imageModel } from './image-models.js';

/** `quality` values: `low`…`auto` for GPT image models, `standard`/`hd` for DALL·E 3. */
export type OpenAIImageQuality = 'low' | 'medium' | 'high' | 'auto' | 'standard' | 'hd';

export interface OpenAIImagesOptions extends VendorOptions {
  /**
   * OpenAI API key, sent as `Authorization: Bearer`.
   * @defaultValue `OPENAI_API_KEY`
   */
  apiKey?: string;
  /**
   * Base URL of the API, `/v1` included (a proxy or gateway speaking OpenAI's protocol).
   * @defaultValue `OPENAI_BASE_URL`, else `https://api.openai.com/v1`
   */
  baseUrl?: string;
  /**
   * Image model: a GPT image model, or `dall-e-3` / `dall-e-2`.
   * @defaultValue 'gpt-image-1'
   */
  model?: string;
  /**
   * Picture quality (and price); it must be one the model takes.
   * @defaultValue the vendor's: `auto` for GPT image models, `standard` for DALL·E
   */
  quality?: OpenAIImageQuality;
  /**
   * Organization the calls are billed to (`OpenAI-Organization` header).
   * @defaultValue `OPENAI_ORG_ID`, else the key's default organization
   */
  organization?: string;
  /**
   * Longest one attempt may take: a high-quality picture can take over a minute.
   * @defaultValue 180000
   */
  timeoutMs?: number;
  /**
   * Where the `OPENAI_*` variables are read from.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

const PROVIDER = 'openai-images';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The part of `POST /images/generations`'s answer used here. */
interface GenerationAnswer {
  data?: { b64_json?: string; url?: string }[];
}

/**
 * Scene pictures drawn by OpenAI's image API (`POST /images/generations`) from a prompt built of
 * the scene's text, the title and the request's `style`. Each request gets the model's size
 * nearest its shape (1536x1024, 1024x1536 or 1024x1024 for GPT image models); the pipeline
 * letterboxes it to the frame. A content-policy refusal is a non-retryable `ProviderError`
 * carrying OpenAI's message.
 */
export function createOpenAIImages(options: OpenAIImagesOptions = {}): ImageProvider {
  const env = options.env ?? process.env;
  const apiKey = requiredApiKey(PROVIDER, options.apiKey, env, 'OPENAI_API_KEY');
  const base = httpBase(PROVIDER, 'baseUrl', optionOrEnv(options.baseUrl, env, 'OPENAI_BASE_URL') ?? DEFAULT_BASE_URL);
  const model = options.model ?? 'gpt-image-1';
  const spec = imageModel(model);
  if (options.quality && !spec.qualities.includes(options.quality)) {
    throw new ConfigurationError(`${PROVIDER}: ${model} takes quality ${spec.qualities.join(', ')}, not "${options.quality}"`);
  }
  const organization = optionOrEnv(options.organization, env, 'OPENAI_ORG_ID');
  const http = { ...options, timeoutMs: options.timeoutMs ?? 180_000 };
  const headers = {
    authorization: `Bearer ${apiKey}`,
    ...(organization ? { 'openai-organization': organization } : {}),
  };
  const call = { provider: PROVIDER, secrets: [apiKey], retryable: openAIRetryable };

  return {
    specificationVersion: 'v1',
    provider: PROVIDER,
    fingerprint: JSON.stringify({ model, quality: options.quality, prompt: PROMPT_VERSION }),
    async generate(request: ImageRequest): Promise<ImageResult> {
      const size = nearestShape(request.width, request.height, spec.sizes);
      const body = {
        model,
        prompt: scenePrompt(request, spec.maxPromptLength),
        size: `${size.width}x${size.height}`,
        n: 1,
        ...(options.quality ? { quality: options.quality } : {}),
        ...(spec.askBase64 ? { response_format: 'b64_json' } : {}),
      };
      const answer = await vendorJson<GenerationAnswer>(
        { ...call, action: 'image generation', url: `${base}/images/generations`, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: request.signal },
        http,
      );
      const image = answer.data?.[0];
      let bytes: Buffer;
      if (image?.b64_json) bytes = Buffer.from(image.b64_json, 'base64');
      // A URL is presigned storage elsewhere: fetched without the key.
      else if (image?.url && /^https?:\/\//.test(image.url)) bytes = (await vendorBytes({ ...call, action: 'image download', url: image.url, signal: request.signal }, http)).bytes;
      else throw new ProviderError(PROVIDER, 'the answer holds no image');
      return { format: await writeImage(PROVIDER, bytes, request.outputPath) };
    },
    async healthCheck() {
      await vendorJson({ ...call, action: 'model check', url: `${base}/models/${encodeURIComponent(model)}`, headers }, http);
    },
  };
}
