/**
 * The candidate shape closest to `width`×`height`, comparing aspect ratios on a log scale (so
 * 2:1 and 1:2 are equally far from 1:1). Vendors draw a few fixed shapes; the pipeline
 * letterboxes whatever comes back.
 */
export function nearestShape<T extends { width: number; height: number }>(width: number, height: number, candidates: readonly T[]): T {
  const wanted = Math.log(width / height);
  let best = candidates[0]!;
  for (const candidate of candidates) {
    if (Math.abs(Math.log(candidate.width / candidate.height) - wanted) < Math.abs(Math.log(best.width / best.height) - wanted)) best = candidate;
  }
  return best;
}
