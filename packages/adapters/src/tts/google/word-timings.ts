import type { WordTiming } from '@scriptsensei/core';

/**
 * Words timed by their marks: each starts at its mark's time and ends where the next word starts,
 * the last at the end of the audio. A word whose mark did not come back starts with the word
 * before it. Undefined when no mark came back at all (a voice that ignores SSML marks): the
 * pipeline then times the scene's caption from the speech itself.
 */
export function timeWords(words: readonly string[], marks: readonly (number | undefined)[], endSeconds: number): WordTiming[] | undefined {
  if (!marks.some((m) => m !== undefined)) return undefined;
  const starts: number[] = [];
  words.forEach((_, i) => {
    const previous = starts[i - 1] ?? 0;
    starts.push(Math.min(endSeconds, Math.max(previous, marks[i] ?? previous)));
  });
  return words.map((word, i) => ({ word, startSeconds: starts[i]!, endSeconds: starts[i + 1] ?? endSeconds }));
}
