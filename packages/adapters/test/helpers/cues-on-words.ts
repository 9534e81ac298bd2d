import { expect } from 'vitest';
import type { ParsedCue } from '@scriptsensei/core/testing';

/**
 * Checks captions against the words a fake vendor timed: the cues cover every word in order, and
 * each cue starts with its first word, within 35 ms (a frame) of when the vendor said it starts.
 */
export function expectCuesOnWords(cues: readonly ParsedCue[], words: readonly { word: string; startSeconds: number }[]): void {
  expect(cues.length).toBeGreaterThanOrEqual(3);
  let next = 0;
  for (const cue of cues) {
    const cueWords = cue.text.split(/\s+/);
    expect(cueWords[0]).toBe(words[next]!.word);
    expect(Math.abs(cue.startSeconds - words[next]!.startSeconds), `cue "${cue.text}"`).toBeLessThanOrEqual(0.035);
    next += cueWords.length;
  }
  expect(next).toBe(words.length);
}
