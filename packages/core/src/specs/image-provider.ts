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
  /**
   * How long the scene lasts, in seconds (its narration plus any pause). Given to `v2`
   * providers, so a clip can be picked to cover it; the pipeline trims or loops what it gets.
   */
  durationSeconds?: number;
  /** Absolute path the provider must write the image to, in the format it returns. */
  outputPath: string;
  signal?: AbortSignal;
}

/** Image encodings the pipeline accepts. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** Video containers the pipeline accepts for a clip scene. */
export type ClipFormat = 'mp4' | 'webm' | 'mov';

/** A still picture: the scene is encoded the still-GOP way (one picture repeated). */
export interface StillResult {
  /** @defaultValue 'still' */
  kind?: 'still';
  /** The encoding actually written to `outputPath`. */
  format: ImageFormat;
}

/**
 * A short video (`v2` providers only): the pipeline drops its audio, trims or loops it to the
 * scene's length, scales and crops it to cover the frame, and encodes its frames.
 */
export interface ClipResult {
  kind: 'clip';
  /** The container actually written to `outputPath`. */
  format: ClipFormat;
}

export type ImageResult = StillResult | ClipResult;

/**
 * Image seam: one picture per scene.
 *
 * - `v1`: `generate` writes a still image.
 * - `v2`: the request also carries the scene's `durationSeconds`, and `generate` may write a
 *   short video clip instead ({@link ClipResult}). A `v1` provider works unchanged.
 */
export interface ImageProvider {
  readonly specificationVersion: 'v1' | 'v2';
  readonly provider: string;
  /** Optional: changes whenever the provider's settings change its output (theme, fonts). */
  readonly fingerprint?: string;
  generate(request: ImageRequest): Promise<ImageResult>;
  healthCheck?(): Promise<void>;
}
