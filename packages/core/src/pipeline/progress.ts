/** Pipeline stages, in order. `complete` is reported once, with progress 1. */
export type Stage = 'analyzing' | 'narrating' | 'illustrating' | 'composing' | 'publishing' | 'complete';

/** A progress update: what a UI shows as "Generating audio (3/7 scenes) — 24%". */
export interface ProgressEvent {
  /** Overall progress, 0..1, never decreasing within one run. */
  progress: number;
  stage: Stage;
  /** A short human-readable message. */
  message: string;
}

/**
 * The share of overall progress each stage covers, following the original service's milestones:
 * 0.1 script analysed, 0.3 audio done, 0.6 images done, 0.9 composited, 1.0 published.
 */
export const STAGE_RANGES: Record<Exclude<Stage, 'complete'>, readonly [number, number]> = {
  analyzing: [0, 0.1],
  narrating: [0.1, 0.3],
  illustrating: [0.3, 0.6],
  composing: [0.6, 0.9],
  publishing: [0.9, 1],
};

/** Maps stage-local fractions onto overall progress and keeps it monotonic. */
export class ProgressReporter {
  private last = 0;

  constructor(private readonly listener: ((event: ProgressEvent) => void) | undefined) {}

  /** Reports `fraction` (0..1) of `stage` done. */
  stage(stage: Exclude<Stage, 'complete'>, fraction: number, message: string): void {
    const [from, to] = STAGE_RANGES[stage];
    this.emit(stage, from + (to - from) * Math.min(1, Math.max(0, fraction)), message);
  }

  complete(message: string): void {
    this.emit('complete', 1, message);
  }

  private emit(stage: Stage, value: number, message: string): void {
    this.last = Math.max(this.last, value);
    // A listener's bug must not fail the render it observes.
    try {
      this.listener?.({ progress: Number(this.last.toFixed(4)), stage, message });
    } catch {
      /* ignored on purpose */
    }
  }
}
