/** What the pipeline asks an image provider for: one picture for one scene. */
export interface ImageRequest {
  /** The scene's narration text, used as the prompt or printed on the card. */
  text: string;
  /** The video's title, when it has one. */
  title?: string;
  /** 0-based index of the scene and the total, e.g. for a "2 / 7" marker. */
  sceneIndex: number;
  sceneCount: number;
  /** Target size in pixels. Images of another size are scaled and letterboxed to fit. */
  width: number;
  height: number;
  /** Provider-specific style or theme name. */
  style?: string;
  /** Absolute path the provider must write the image to, in the format it returns. */
  outputPath: string;
  signal?: AbortSignal;
}

/** Image encodings the pipeline accepts. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageResult {
  /** The encoding actually written to `outputPath`. */
  format: ImageFormat;
}

/** Image seam: one still image per scene. */
export interface ImageProvider {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  /** Optional: changes whenever the provider's settings change its output (theme, fonts). */
  readonly fingerprint?: string;
  generate(request: ImageRequest): Promise<ImageResult>;
  healthCheck?(): Promise<void>;
}
