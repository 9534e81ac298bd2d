/**
 * Telling a drawn glyph from a missing-glyph box in a picture, for tests that check text comes
 * out in every script the bundled fonts are for: the sample texts, a grid that puts one grapheme
 * per cell, and the picture comparisons. Used by the glyph tests of captions (libass) and slides
 * (resvg), and usable for any renderer that draws text with `@scriptsensei/fonts`.
 *
 * How a box is recognised: U+E000 is a private-use code point that no bundled font maps, so a
 * renderer draws the font's missing-glyph box (.notdef) for it. A grid is drawn twice: once with
 * each grapheme in its cell, in the family chosen for it, and once with U+E000 for each of the
 * grapheme's code points in the same cell and the same family. A cell whose grapheme the font
 * lacks then comes out pixel for pixel like the boxes (one .notdef per code point, same
 * position); a cell with a real glyph differs. A cell must also have ink, since some failures
 * draw nothing at all (colour-bitmap emoji in resvg). Comparing cells one by one catches a single
 * missing character, which a whole-line comparison would not. Cells are wide enough for four
 * boxes, so a missing cluster of a complex script does not spill into its neighbours.
 */
import type { ScriptName } from '../scripts.js';

/** One sample per script the bundled fonts are for; `base` when DejaVu Sans draws it too. */
export const SCRIPT_SAMPLES: { name: string; script: ScriptName; text: string; base: boolean }[] = [
  { name: 'Latin', script: 'latin', text: 'Façade Größe', base: true },
  { name: 'Cyrillic', script: 'cyrillic', text: 'Привет мир', base: true },
  { name: 'Greek', script: 'greek', text: 'Γειά σου', base: true },
  { name: 'Chinese', script: 'han', text: '你好世界，欢迎', base: false },
  { name: 'Japanese', script: 'kana', text: 'こんにちは、カタカナ', base: false },
  { name: 'Korean', script: 'hangul', text: '안녕하세요', base: false },
  { name: 'Arabic', script: 'arabic', text: 'مرحبا بالعالم', base: true },
  { name: 'Hebrew', script: 'hebrew', text: 'שלום עולם', base: true },
  { name: 'Devanagari', script: 'devanagari', text: 'नमस्ते दुनिया', base: false },
  { name: 'Thai', script: 'thai', text: 'สวัสดีชาวโลก', base: false },
  // Emoji DejaVu Sans lacks; single code points, since sequences are a shaping matter.
  { name: 'emoji', script: 'emoji', text: '🎉🚀🍕🌍👍🔥', base: false },
];

/** Mapped by no bundled font: drawn as the missing-glyph box of whatever font is asked for it. */
export const UNMAPPED = '\uE000';

/**
 * What `grapheme` looks like in a font that lacks it: a box for each code point. Combining marks
 * are kept as they are, since a shaper places a missing mark's box as it places the mark.
 */
export function boxesFor(grapheme: string): string {
  return grapheme.replace(/\P{M}/gu, UNMAPPED);
}

/** A decoded picture: rows of pixels, `channels` bytes each. */
export interface Picture {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** A rectangle of a picture, in pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The grid pictures: 640x360, one grapheme per 160x90 cell, up to 16 of them. */
export const GRID = { width: 640, height: 360, columns: 4, rows: 4 };
/** Font size of a grid's graphemes, in pixels. */
export const GRID_FONT_SIZE = 48;

/** Cell `index` of the grid and its centre. */
export function gridCell(index: number): Region & { cx: number; cy: number } {
  const width = GRID.width / GRID.columns;
  const height = GRID.height / GRID.rows;
  const x = (index % GRID.columns) * width;
  const y = Math.floor(index / GRID.columns) * height;
  return { x, y, width, height, cx: x + width / 2, cy: y + height / 2 };
}

/** The graphemes of a sample that go into grid cells: all but spaces. */
export function gridGraphemes(text: string): string[] {
  const graphemes = Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment).filter((g) => g.trim());
  if (graphemes.length > GRID.columns * GRID.rows) throw new RangeError(`too many graphemes for one grid: ${graphemes.length}`);
  return graphemes;
}

const brightness = (p: Picture, x: number, y: number) => {
  const at = (y * p.width + x) * p.channels;
  let max = 0;
  for (let c = 0; c < Math.min(3, p.channels); c++) max = Math.max(max, p.data[at + c]!);
  return max;
};

/** Pixels in `region` brighter than `threshold` (light text on a dark picture). */
export function inkIn(p: Picture, region: Region, threshold = 96): number {
  let ink = 0;
  for (let y = Math.round(region.y); y < Math.round(region.y + region.height); y++) {
    for (let x = Math.round(region.x); x < Math.round(region.x + region.width); x++) if (brightness(p, x, y) > threshold) ink++;
  }
  return ink;
}

/** Mean absolute difference of brightness in `region`, 0..255. */
export function differenceIn(a: Picture, b: Picture, region: Region = { x: 0, y: 0, width: a.width, height: a.height }): number {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError(`pictures differ in size: ${a.width}x${a.height} and ${b.width}x${b.height}`);
  let sum = 0;
  let count = 0;
  for (let y = Math.round(region.y); y < Math.round(region.y + region.height); y++) {
    for (let x = Math.round(region.x); x < Math.round(region.x + region.width); x++, count++) sum += Math.abs(brightness(a, x, y) - brightness(b, x, y));
  }
  return sum / Math.max(1, count);
}

/** Pixels in `region` whose brightness differs by more than a quarter of the range. */
function differingPixels(a: Picture, b: Picture, region: Region): number {
  let count = 0;
  for (let y = Math.round(region.y); y < Math.round(region.y + region.height); y++) {
    for (let x = Math.round(region.x); x < Math.round(region.x + region.width); x++) if (Math.abs(brightness(a, x, y) - brightness(b, x, y)) > 64) count++;
  }
  return count;
}

/**
 * A cell counts as a glyph when it has this much ink and this many pixels unlike its boxes
 * (renders are deterministic: a missing glyph differs from its box in no pixel at all).
 */
const MIN_CELL_PIXELS = 10;

/**
 * The graphemes of a grid that did not come out as glyphs: their cell in `drawn` is blank, or
 * looks like the same cell in `boxes` (see the module comment).
 */
export function unreadable(drawn: Picture, boxes: Picture, graphemes: readonly string[]): string[] {
  return graphemes.filter((_, i) => {
    const cell = gridCell(i);
    return inkIn(drawn, cell) < MIN_CELL_PIXELS || differingPixels(drawn, boxes, cell) < MIN_CELL_PIXELS;
  });
}

/**
 * Which side of the ink's middle the widest gap between ink columns lies on, within `region`:
 * for a short word, a space and a long word, `right` when the short word was laid out at the
 * right, as right-to-left text is.
 */
export function widestGapSide(p: Picture, region: Region): 'left' | 'right' {
  const inked: boolean[] = [];
  for (let x = Math.round(region.x); x < Math.round(region.x + region.width); x++) {
    inked.push(inkIn(p, { x, y: region.y, width: 1, height: region.height }) > 0);
  }
  const first = inked.indexOf(true);
  const last = inked.lastIndexOf(true);
  if (first < 0) throw new Error('no ink in the region');
  let best = { start: first, length: 0 };
  for (let x = first, start = -1; x <= last; x++) {
    if (!inked[x] && start < 0) start = x;
    if (inked[x] && start >= 0) {
      if (x - start > best.length) best = { start, length: x - start };
      start = -1;
    }
  }
  return best.start + best.length / 2 > (first + last) / 2 ? 'right' : 'left';
}
