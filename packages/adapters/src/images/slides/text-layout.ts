/**
 * Line wrapping without a layout engine: glyph widths are estimated per character class, with
 * margins generous enough for DejaVu Sans (the bundled font), whose average Latin advance is
 * about 0.55 em. Wide scripts (CJK, emoji) count as a full em.
 */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\p{Extended_Pictographic}]/u;
const NARROW = /[iIl.,:;'!|\s]/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Estimated width of `text` in ems. */
export function textWidthEm(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    width += WIDE.test(segment) ? 1.05 : NARROW.test(segment) ? 0.32 : 0.62;
  }
  return width;
}

/**
 * Wraps `text` into lines no wider than `maxEm`. Breaks at spaces; a word wider than a line
 * (a URL, a 500-character word, a run of CJK) is broken between graphemes.
 */
export function wrapText(text: string, maxEm: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line) lines.push(line);
    line = '';
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidthEm(candidate) <= maxEm) {
      line = candidate;
      continue;
    }
    push();
    if (textWidthEm(word) <= maxEm) {
      line = word;
      continue;
    }
    for (const { segment } of graphemes.segment(word)) {
      if (line && textWidthEm(line + segment) > maxEm) push();
      line += segment;
    }
  }
  push();
  return lines;
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
  for (let size = maxSize; size > minSize; size = Math.floor(size * 0.9)) {
    const lines = wrapText(text, box.width / size);
    if (lines.length * size * lineHeight <= box.height) return { lines, fontSize: size };
  }
  const lines = wrapText(text, box.width / minSize);
  const maxLines = Math.max(1, Math.floor(box.height / (minSize * lineHeight)));
  if (lines.length <= maxLines) return { lines, fontSize: minSize };
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.replace(/\s*\S{0,3}$/u, '')}…`;
  return { lines: kept, fontSize: minSize };
}
