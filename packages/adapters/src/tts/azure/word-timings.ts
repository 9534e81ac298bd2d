import type { WordTiming } from '@scriptsensei/core';

/** A word Azure reports speaking, in seconds from the start of the audio. */
export interface WordBoundary {
  text: string;
  startSeconds: number;
  endSeconds: number;
}

/**
 * Caption words timed by Azure's word boundaries. Azure names the words it spoke without their
 * punctuation, so each boundary is found in `text` (searching forward, as the Speech SDK does)
 * and the words returned are the text's own: `Hello,` rather than `Hello`, every token of the
 * text in order. A token holding several boundaries (Chinese or Japanese, written without
 * spaces) is cut at each; a token holding none (a dash, an emoji) takes no time, at the end of
 * the word before. Times never go backwards and end within the audio.
 */
export function wordTimings(text: string, boundaries: readonly WordBoundary[], audioSeconds: number): WordTiming[] {
  const placed: (WordBoundary & { index: number })[] = [];
  let cursor = 0;
  for (const boundary of boundaries) {
    const index = boundary.text ? text.indexOf(boundary.text, cursor) : -1;
    if (index < 0) continue;
    placed.push({ ...boundary, index });
    cursor = index + boundary.text.length;
  }

  const timings: WordTiming[] = [];
  let clock = 0;
  let next = 0;
  for (const token of text.matchAll(/\S+/g)) {
    const from = token.index;
    const to = from + token[0].length;
    const inside: typeof placed = [];
    while (next < placed.length && placed[next]!.index < to) inside.push(placed[next++]!);
    if (!inside.length) {
      timings.push({ word: token[0], startSeconds: clock, endSeconds: clock });
      continue;
    }
    inside.forEach((boundary, i) => {
      const startSeconds = Math.min(Math.max(boundary.startSeconds, clock), audioSeconds);
      clock = Math.min(Math.max(boundary.endSeconds, startSeconds), audioSeconds);
      const word = text.slice(i === 0 ? from : boundary.index, inside[i + 1]?.index ?? to);
      timings.push({ word, startSeconds, endSeconds: clock });
    });
  }
  return timings;
}
