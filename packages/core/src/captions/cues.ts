import type { WordTiming } from '../specs/tts-provider.js';

/** One caption: the lines shown together, when, and the words in them (for word highlight). */
export interface Cue {
  startSeconds: number;
  endSeconds: number;
  lines: string[];
  /** The cue's words with their timings, in order; `lines` is these words wrapped. */
  words: WordTiming[];
}

/** How cues are cut: line length in display columns and lines per cue. */
export interface CueShape {
  maxCharsPerLine: number;
  maxLines: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Extended_Pictographic}\u3000-\u303f\uff00-\uffef]/u;
/** Scripts written without spaces between words: lines may break between any two graphemes. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
/** What may end the word before an unspaced one with no space between: its script or full-width punctuation. */
const UNSPACED_OR_FULLWIDTH = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u3000-\u303f\uff00-\uffef]/u;
const SENTENCE_END = /[.!?。！？…]["”’»)]*$/u;
const CLAUSE_END = /[,;:，、；：—–]["”’»)]*$/u;

/** Display width of text in columns: East Asian wide characters and emoji take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += WIDE.test(segment) ? 2 : 1;
  return width;
}

/**
 * Splits text into caption words: space-separated tokens, and for scripts without spaces
 * (Chinese, Japanese, Thai) single graphemes, with trailing punctuation kept on its word.
 */
export function captionWords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    if (!UNSPACED.test(token)) {
      words.push(token);
      continue;
    }
    for (const { segment } of graphemes.segment(token)) {
      if (words.length && /^[\p{P}\p{S}]$/u.test(segment) && !UNSPACED.test(segment)) words[words.length - 1] += segment;
      else words.push(segment);
    }
  }
  return words;
}

/**
 * Joins caption words back into text: a space between words, none between graphemes of unspaced
 * scripts. `render` may dress each word (the spacing follows the raw words).
 */
export function joinWords(words: readonly string[], render: (word: string, index: number) => string = (word) => word): string {
  let text = '';
  words.forEach((word, i) => {
    const previous = words[i - 1];
    const spaced = previous !== undefined && !(UNSPACED.test(word.at(0) ?? '') && UNSPACED_OR_FULLWIDTH.test(previous.at(-1) ?? ''));
    text += (spaced ? ' ' : '') + render(word, i);
  });
  return text;
}

/** Wraps words into lines of at most `maxChars` columns (a longer word gets a line of its own). */
export function wrapWords(words: readonly string[], maxChars: number): string[][] {
  const lines: string[][] = [];
  let line: string[] = [];
  for (const word of words) {
    if (line.length && displayWidth(joinWords([...line, word])) > maxChars) {
      lines.push(line);
      line = [];
    }
    line.push(word);
  }
  if (line.length) lines.push(line);
  return lines;
}

/**
 * Groups words into cue-sized phrases: as many words as fit `shape`, ending early at a sentence
 * end, or at a clause end once the cue is half full, so cues follow the script's own pauses.
 */
export function phrases(words: readonly string[], shape: CueShape): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  const budget = shape.maxCharsPerLine * shape.maxLines;
  for (const word of words) {
    const next = [...current, word];
    if (current.length && wrapWords(next, shape.maxCharsPerLine).length > shape.maxLines) {
      out.push(current);
      current = [word];
    } else current = next;
    const text = joinWords(current);
    if (SENTENCE_END.test(word) || (CLAUSE_END.test(word) && displayWidth(text) >= budget / 2)) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Spreads a phrase's words over the time it is spoken, in proportion to their length (a fair
 * stand-in for syllables when the voice gives no word timings).
 */
export function estimateWordTimings(words: readonly string[], startSeconds: number, endSeconds: number): WordTiming[] {
  const weights = words.map((w) => displayWidth(w) + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const span = Math.max(0, endSeconds - startSeconds);
  let t = startSeconds;
  return words.map((word, i) => {
    const start = t;
    t += (span * weights[i]!) / total;
    return { word, startSeconds: start, endSeconds: i === words.length - 1 ? endSeconds : t };
  });
}

/**
 * Cues from timed words (a TTS provider's word timings): words grouped as `phrases` groups
 * them, each cue from its first word's start to its last word's end.
 */
export function cuesFromWords(timed: readonly WordTiming[], shape: CueShape): Cue[] {
  const groups = phrases(
    timed.map((t) => t.word),
    shape,
  );
  const cues: Cue[] = [];
  let at = 0;
  for (const group of groups) {
    const words = timed.slice(at, at + group.length);
    at += group.length;
    cues.push(cueOf(words, shape));
  }
  return cues;
}

/** A cue showing `words`, wrapped to `shape`, timed from the first word to the last. */
export function cueOf(words: WordTiming[], shape: CueShape): Cue {
  return {
    startSeconds: words[0]!.startSeconds,
    endSeconds: words.at(-1)!.endSeconds,
    lines: wrapWords(
      words.map((w) => w.word),
      shape.maxCharsPerLine,
    ).map((line) => joinWords(line)),
    words,
  };
}

/** Moves cues by `offsetSeconds` (scene-relative to video time). */
export function shiftCues(cues: readonly Cue[], offsetSeconds: number): Cue[] {
  return cues.map((cue) => ({
    ...cue,
    startSeconds: cue.startSeconds + offsetSeconds,
    endSeconds: cue.endSeconds + offsetSeconds,
    words: cue.words.map((w) => ({ ...w, startSeconds: w.startSeconds + offsetSeconds, endSeconds: w.endSeconds + offsetSeconds })),
  }));
}
