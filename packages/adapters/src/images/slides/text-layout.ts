import { scriptsIn, type ScriptName } from '@scriptsensei/fonts';

/**
 * Line wrapping without a layout engine: glyph widths are estimated per grapheme from its
 * script, from the bundled fonts' average advances (measured with resvg) rounded up so lines
 * rarely overflow: DejaVu Sans Latin about 0.55 em, CJK 1 em, Noto Emoji 1.25 em.
 */
const SCRIPT_EM: Partial<Record<ScriptName, number>> = {
  han: 1,
  kana: 1,
  hangul: 0.95,
  arabic: 0.45,
  hebrew: 0.55,
  devanagari: 0.6,
  thai: 0.6,
  emoji: 1.3,
};
const NARROW = /[iIl.,:;'!|\s]/;
const NARROW_EM = 0.32;
const DEFAULT_EM = 0.62;

/** Scripts written without spaces between words, so lines may break between their words. */
const UNSPACED: readonly ScriptName[] = ['han', 'kana', 'thai'];
/** Chinese and Japanese break between any two characters; Thai between words. */
const BREAK_ANYWHERE: readonly ScriptName[] = ['han', 'kana'];
/** No line ends with opening brackets or quotes. */
const OPENING = /[\p{Ps}\p{Pi}]$/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// ICU's word segmenter knows Thai words from a dictionary.
const words = new Intl.Segmenter(undefined, { granularity: 'word' });

const graphemesOf = (text: string) => Array.from(graphemes.segment(text), (s) => s.segment);

function graphemeWidthEm(grapheme: string): number {
  const [script] = scriptsIn(grapheme);
  return (script && SCRIPT_EM[script]) ?? (NARROW.test(grapheme) ? NARROW_EM : DEFAULT_EM);
}

/** Estimated width of `text` in ems. */
export function textWidthEm(text: string): number {
  let width = 0;
  for (const grapheme of graphemesOf(text)) width += graphemeWidthEm(grapheme);
  return width;
}

/** A stretch of text no line may break inside, and whether a space comes before it. */
interface Unit {
  text: string;
  width: number;
  spaced: boolean;
}

const unspaced = (grapheme: string | undefined) => grapheme !== undefined && scriptsIn(grapheme).some((s) => UNSPACED.includes(s));

/**
 * Cuts text into units: words between spaces, and within Chinese, Japanese and Thai text, the
 * characters or words lines may break between. Punctuation sticks to what precedes it.
 */
function breakUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let spaced = false;
  for (const { segment, isWordLike } of words.segment(text)) {
    if (!segment.trim()) {
      spaced = true;
      continue;
    }
    const pieces = scriptsIn(segment).some((s) => BREAK_ANYWHERE.includes(s)) ? graphemesOf(segment) : [segment];
    for (const piece of pieces) {
      const last = units.at(-1);
      const breakable =
        !last || spaced || (isWordLike && !OPENING.test(last.text) && (unspaced(graphemesOf(last.text).at(-1)) || unspaced(graphemesOf(piece)[0])));
      if (breakable) units.push({ text: piece, width: textWidthEm(piece), spaced: spaced && last !== undefined });
      else {
        last.text += piece;
        last.width += textWidthEm(piece);
      }
      spaced = false;
    }
  }
  return units;
}

function wrapUnits(units: readonly Unit[], maxEm: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  const push = () => {
    if (line) lines.push(line);
    line = '';
    width = 0;
  };
  for (const unit of units) {
    const gap = line && unit.spaced ? NARROW_EM : 0;
    if (width + gap + unit.width <= maxEm) {
      line += gap ? ` ${unit.text}` : unit.text;
      width += gap + unit.width;
      continue;
    }
    push();
    if (unit.width <= maxEm) {
      line = unit.text;
      width = unit.width;
      continue;
    }
    for (const grapheme of graphemesOf(unit.text)) {
      const w = graphemeWidthEm(grapheme);
      if (line && width + w > maxEm) push();
      line += grapheme;
      width += w;
    }
  }
  push();
  return lines;
}

/**
 * Wraps `text` into lines no wider than `maxEm`. Breaks at spaces, between Chinese and Japanese
 * characters and between Thai words; a unit wider than a line (a URL, a 500-character word) is
 * broken between graphemes.
 */
export function wrapText(text: string, maxEm: number): string[] {
  return wrapUnits(breakUnits(text), maxEm);
}

/** Cuts `text` to fit `maxEm`, ending with an ellipsis when anything was cut. */
export function truncateText(text: string, maxEm: number): string {
  if (textWidthEm(text) <= maxEm) return text;
  let kept = '';
  let width = textWidthEm('…');
  for (const grapheme of graphemesOf(text)) {
    width += graphemeWidthEm(grapheme);
    if (width > maxEm) break;
    kept += grapheme;
  }
  return `${kept.trimEnd()}…`;
}

export interface FittedText {
  lines: string[];
  fontSize: number;
}

/**
 * The largest font size (from `maxSize` down to `minSize`) at which `text` fits the box; at the
 * smallest size, lines that still do not fit are dropped and the last one ends with an ellipsis.
 */
export function fitText(text: string, box: { width: number; height: number }, maxSize: number, minSize: number, lineHeight: number): FittedText {
  const units = breakUnits(text);
  for (let size = maxSize; size > minSize; size = Math.floor(size * 0.9)) {
    const lines = wrapUnits(units, box.width / size);
    if (lines.length * size * lineHeight <= box.height) return { lines, fontSize: size };
  }
  const lines = wrapUnits(units, box.width / minSize);
  const maxLines = Math.max(1, Math.floor(box.height / (minSize * lineHeight)));
  if (lines.length <= maxLines) return { lines, fontSize: minSize };
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.replace(/\s*\S{0,3}$/u, '')}…`;
  return { lines: kept, fontSize: minSize };
}
