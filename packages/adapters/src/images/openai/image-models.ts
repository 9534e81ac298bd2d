/** What one OpenAI image model takes. */
export interface OpenAIImageModel {
  /** The sizes it draws; a request gets the one nearest its shape. */
  sizes: readonly { width: number; height: number }[];
  /** Longest prompt it accepts, in characters. */
  maxPromptLength: number;
  /** The `quality` values it accepts. */
  qualities: readonly string[];
  /** DALL·E answers with a URL unless asked for `b64_json`; GPT image models always send base64 (and refuse the field). */
  askBase64: boolean;
}

const size = (width: number, height: number) => ({ width, height });

const GPT_IMAGE: OpenAIImageModel = {
  sizes: [size(1536, 1024), size(1024, 1536), size(1024, 1024)],
  maxPromptLength: 32_000,
  qualities: ['low', 'medium', 'high', 'auto'],
  askBase64: false,
};

const DALL_E: Record<string, OpenAIImageModel> = {
  'dall-e-3': { sizes: [size(1792, 1024), size(1024, 1792), size(1024, 1024)], maxPromptLength: 4000, qualities: ['standard', 'hd'], askBase64: true },
  'dall-e-2': { sizes: [size(1024, 1024)], maxPromptLength: 1000, qualities: ['standard'], askBase64: true },
};

/** The model's limits: DALL·E 2 and 3 by name, anything else as a GPT image model (`gpt-image-1`, `gpt-image-1-mini`…). */
export function imageModel(model: string): OpenAIImageModel {
  return DALL_E[model] ?? GPT_IMAGE;
}
