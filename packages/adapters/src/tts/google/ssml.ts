import { joinWords } from '@scriptsensei/core';
import { escapeXml } from '../ssml-text.js';

/** A word ending a sentence: where a long text is best cut. */
const SENTENCE_END = /[.!?。！？…]["”’»)]*$/u;
const SPEAK_TAGS = '<speak></speak>';

/** Google's limit on `input.ssml`, in UTF-8 bytes. */
const MAX_SSML_BYTES = 5000;

/** The mark placed before word `index`; its timepoint is where the word starts. */
export function markName(index: number): string {
  return `w${index}`;
}

/** The word index a timepoint's mark names, or undefined for a name this provider did not write. */
export function markIndex(name: string | undefined): number | undefined {
  const match = /^w(\d+)$/.exec(name ?? '');
  return match ? Number(match[1]) : undefined;
}

/** One synthesis request's worth of words: `words[first]` up to (not including) `words[end]`. */
export interface SsmlPart {
  ssml: string;
  first: number;
  end: number;
}

/**
 * `<speak>` documents speaking `words` with a `<mark>` before each, cut so each fits `maxBytes`:
 * at the last sentence end that fits, else before the word that does not. Marks are numbered
 * across parts, so a timepoint names its word wherever it was cut. (A Chinese scene of 220
 * characters is 220 marked words: over 5000 bytes.)
 */
export function markedSsml(words: readonly string[], maxBytes = MAX_SSML_BYTES): SsmlPart[] {
  const fragment = (i: number) => `<mark name="${markName(i)}"/>${escapeXml(words[i]!)}`;
  // Each word's bytes, plus one for the space joinWords may put before it.
  const sizes = words.map((_, i) => Buffer.byteLength(fragment(i)) + 1);
  const render = (first: number, end: number) => `<speak>${joinWords(words.slice(first, end), (_, j) => fragment(first + j))}</speak>`;
  const parts: SsmlPart[] = [];
  let first = 0;
  let bytes = SPEAK_TAGS.length;
  let sentenceEnd = -1;
  for (let i = 0; i < words.length; i++) {
    if (i > first && bytes + sizes[i]! > maxBytes) {
      const end = sentenceEnd >= first ? sentenceEnd + 1 : i;
      parts.push({ ssml: render(first, end), first, end });
      first = end;
      bytes = SPEAK_TAGS.length + sizes.slice(end, i).reduce((a, b) => a + b, 0);
      sentenceEnd = -1;
    }
    bytes += sizes[i]!;
    if (SENTENCE_END.test(words[i]!)) sentenceEnd = i;
  }
  if (first < words.length) parts.push({ ssml: render(first, words.length), first, end: words.length });
  return parts;
}
