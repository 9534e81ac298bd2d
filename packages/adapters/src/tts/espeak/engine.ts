/** What the espeak adapter needs from an espeak-ng build: a native binary or the WASM one. */
export interface EspeakEngine {
  readonly kind: 'binary' | 'wasm';
  /** Human-readable origin, e.g. `/usr/bin/espeak-ng` or `espeak-ng (npm, WASM)`. */
  readonly source: string;
  /** Output of `espeak-ng --voices`. */
  voicesTable(): Promise<string>;
  /** Speaks `text` into a WAV file at `outputPath`. */
  synthesize(job: EspeakJob): Promise<void>;
}

export interface EspeakJob {
  text: string;
  /** Leading espeak-ng options, e.g. `['-v', 'en-us', '-s', '165']`. */
  options: string[];
  outputPath: string;
  signal?: AbortSignal;
}
