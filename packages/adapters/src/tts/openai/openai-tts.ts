import { writeFile } from 'node:fs/promises';
import type { TTSProvider, TTSRequest, TTSResult } from '@scriptsensei/core';
import { ConfigurationError, ProviderError, throwIfAborted } from '@scriptsensei/core';
import { httpBase, openAIRetryable, optionOrEnv, pcmSeconds, pcmWav, requiredApiKey, vendorBytes, vendorJson, type VendorOptions } from '../../vendor/index.js';
import { splitText } from './split-text.js';
import { findVoice, modelVoices, requireVoice, toVoiceInfo } from './voices.js';

export interface OpenAITTSOptions extends VendorOptions {
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
   * Speech model: `gpt-4o-mini-tts`, `tts-1`, `tts-1-hd`…
   * @defaultValue 'gpt-4o-mini-tts'
   */
  model?: string;
  /**
   * Voice for requests naming none: `alloy`, `ash`, `ballad`, `cedar`, `coral`, `echo`, `fable`,
   * `marin`, `nova`, `onyx`, `sage`, `shimmer`, `verse` (`tts-1` models: not ballad, cedar,
   * marin or verse).
   * @defaultValue 'alloy'
   */
  voice?: string;
  /**
   * How to speak (tone, accent, pace), e.g. `Calm and warm, like a documentary narrator.`
   * Not for `tts-1` and `tts-1-hd`.
   * @defaultValue undefined (the voice's own delivery)
   */
  instructions?: string;
  /**
   * Speaking speed, 0.25–4.
   * @defaultValue undefined (the vendor's 1)
   */
  speed?: number;
  /**
   * Organization the calls are billed to (`OpenAI-Organization` header).
   * @defaultValue `OPENAI_ORG_ID`, else the key's default organization
   */
  organization?: string;
  /**
   * Where the `OPENAI_*` variables are read from.
   * @defaultValue process.env
   */
  env?: NodeJS.ProcessEnv;
}

const PROVIDER = 'openai';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** `pcm` is 24 kHz 16-bit mono samples without a header: wrapped in one, the duration is exact. */
const SAMPLE_RATE = 24_000;

/**
 * Speech from OpenAI's `POST /audio/speech`, written as 16-bit PCM WAV at 24 kHz. The models speak
 * any language the text is in, so any request language is accepted; the voice is one of a fixed
 * list. A text over the API's 4096-character limit is spoken in parts cut at sentence ends and
 * joined. No word timings: captioned renders time each phrase from its own audio.
 */
export function createOpenAITTS(options: OpenAITTSOptions = {}): TTSProvider {
  const env = options.env ?? process.env;
  const apiKey = requiredApiKey(PROVIDER, options.apiKey, env, 'OPENAI_API_KEY');
  const base = httpBase(PROVIDER, 'baseUrl', optionOrEnv(options.baseUrl, env, 'OPENAI_BASE_URL') ?? DEFAULT_BASE_URL);
  const model = options.model ?? 'gpt-4o-mini-tts';
  const voices = modelVoices(model);
  const defaultVoice = findVoice(voices, options.voice ?? 'alloy');
  if (!defaultVoice) throw new ConfigurationError(`${PROVIDER}: ${model} has no voice "${options.voice}"; it has ${voices.join(', ')}`);
  const { instructions, speed } = options;
  if (speed !== undefined && !(speed >= 0.25 && speed <= 4)) throw new ConfigurationError(`${PROVIDER} speed must be 0.25–4, got ${speed}`);
  if (instructions && /^tts-1/.test(model)) throw new ConfigurationError(`${PROVIDER}: ${model} takes no instructions (gpt-4o-mini-tts and later do)`);
  const organization = optionOrEnv(options.organization, env, 'OPENAI_ORG_ID');
  const headers = { authorization: `Bearer ${apiKey}`, ...(organization ? { 'openai-organization': organization } : {}) };
  const call = { provider: PROVIDER, secrets: [apiKey], retryable: openAIRetryable };

  return {
    specificationVersion: 'v1',
    provider: PROVIDER,
    fingerprint: JSON.stringify({ model, voice: defaultVoice, instructions, speed, format: `pcm_${SAMPLE_RATE}` }),
    wordTimings: false,
    listVoices: async () => voices.map(toVoiceInfo),
    resolveVoice: async (_language, voice) => requireVoice(voices, voice ?? defaultVoice, model),
    async healthCheck() {
      await vendorJson({ ...call, action: 'model check', url: `${base}/models/${encodeURIComponent(model)}`, headers }, options);
    },
    async synthesize(request: TTSRequest): Promise<TTSResult> {
      throwIfAborted(request.signal);
      const voice = requireVoice(voices, request.voice ?? defaultVoice, model);
      const parts: Buffer[] = [];
      // One part after another, so a long text is not a burst of concurrent requests.
      for (const input of splitText(request.text, request.language)) {
        const body = JSON.stringify({ model, input, voice, response_format: 'pcm', ...(instructions ? { instructions } : {}), ...(speed !== undefined ? { speed } : {}) });
        const { bytes } = await vendorBytes(
          { ...call, action: 'synthesis', url: `${base}/audio/speech`, headers: { ...headers, 'content-type': 'application/json' }, body, signal: request.signal },
          options,
        );
        // Whole 16-bit samples only: an odd byte would shift every sample of the parts after it.
        parts.push(bytes.subarray(0, bytes.length - (bytes.length % 2)));
      }
      const pcm = Buffer.concat(parts);
      if (!pcm.length) throw new ProviderError(PROVIDER, 'the answer holds no audio');
      await writeFile(request.outputPath, pcmWav(pcm, SAMPLE_RATE));
      return { durationSeconds: pcmSeconds(pcm.length, SAMPLE_RATE) };
    },
  };
}
