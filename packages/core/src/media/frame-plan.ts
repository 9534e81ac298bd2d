/** Where each scene starts and how many frames it lasts. */
export interface ScenePlan {
  startFrame: number;
  frames: number;
}

/**
 * Converts scene durations into whole frames without drift: each scene ends at the frame nearest
 * to the running total of durations, so the video never strays more than half a frame from its
 * narration, however many scenes there are. Every scene keeps at least one frame.
 */
export function planFrames(durationsSeconds: number[], fps: number): ScenePlan[] {
  const plan: ScenePlan[] = [];
  let elapsed = 0;
  let startFrame = 0;
  for (const duration of durationsSeconds) {
    elapsed += duration;
    const endFrame = Math.max(startFrame + 1, Math.round(elapsed * fps));
    plan.push({ startFrame, frames: endFrame - startFrame });
    startFrame = endFrame;
  }
  return plan;
}
