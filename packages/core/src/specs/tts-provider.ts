/** What the pipeline asks a text-to-speech provider for: one scene's narration. */
export interface TTSRequest {
  /** The text to speak; already trimmed, never empty. */
  text: string;
  /** BCP-47 language tag, e.g. `en-US`. */
  language: string;
  /** Provider-specific voice name; `undefined` means the provider's default for `language`. */
  voice?: string;
  /**
   * Absolute path the provider must write the audio file to. Any container ffmpeg can read
   * (WAV, MP3, OGG…) is accepted; the pipeline probes the content, not the extension.
   */
  outputPath: string;
  /** Fires when the render is cancelled: stop work and kill child processes promptly. */
  signal?: AbortSignal;
}

/** A word and when it is spoken, relative to the start of the scene's audio. */
export interface WordTiming {
  word: string;
  startSeconds: number;
  endSeconds: number;
}

export interface TTSResult {
  /**
   * Exact duration of the written audio in seconds, when the provider measured it (e.g. from a
   * WAV header). When absent, the pipeline measures the file with ffprobe.
   */
  durationSeconds?: number;
  /** Optional per-word timings, for captions. */
  wordTimings?: WordTiming[];
}

export interface VoiceInfo {
  id: string;
  name: string;
  languages: string[];
}

/** Text-to-speech seam. Implementations are created by `createX(options)` factories. */
export interface TTSProvider {
  readonly specificationVersion: 'v1';
  /** Stable provider id, e.g. `espeak`. */
  readonly provider: string;
  /**
   * Optional: a string that changes whenever the provider's settings change its output (rate,
   * pitch, engine, model). The artifact cache keys on it.
   */
  readonly fingerprint?: string;
  /**
   * Optional: `true` when `synthesize` returns `wordTimings`. Without them, captioned renders
   * synthesize each caption phrase on its own to time it.
   */
  readonly wordTimings?: boolean;
  synthesize(request: TTSRequest): Promise<TTSResult>;
  /**
   * Optional: the voice this provider would use for `language` (and `voice`, when named).
   * Throws a `ValidationError` on `language` or `voice` naming what it supports, so a request
   * it cannot speak is refused when submitted, not when rendered.
   */
  resolveVoice?(language: string, voice?: string): Promise<string>;
  /** Optional: the voices this provider offers. */
  listVoices?(): Promise<VoiceInfo[]>;
  /** Optional: throws when the provider cannot work (missing binary, bad credentials). */
  healthCheck?(): Promise<void>;
}
