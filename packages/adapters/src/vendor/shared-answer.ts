/**
 * A function answering from one shared call to `load` (a vendor's voice list): every caller
 * waits on the same request, a failed answer is forgotten so the next caller asks again, and a
 * good one is kept for `ttlMs`.
 */
export function sharedAnswer<T>(load: () => Promise<T>, ttlMs = Number.POSITIVE_INFINITY): () => Promise<T> {
  let kept: { at: number; answer: Promise<T> } | undefined;
  return () => {
    if (!kept || Date.now() - kept.at > ttlMs) {
      const answer = load();
      const entry = { at: Date.now(), answer };
      answer.catch(() => {
        if (kept === entry) kept = undefined;
      });
      kept = entry;
    }
    return kept.answer;
  };
}
