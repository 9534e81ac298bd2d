import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_FONT_FAMILY, fontRuns, fontsForText, type FontFamily } from '@scriptsensei/fonts';
import { GRID, SCRIPT_SAMPLES, boxesFor, differenceIn, gridCell, gridGraphemes, unreadable, widestGapSide } from '@scriptsensei/fonts/testing';
import { renderAss } from './helpers/libass.js';

// Captions are drawn by libass (ffmpeg's `ass` filter) from a fonts folder, on a machine that may
// have no fonts at all. These tests draw each script through the ffmpeg we resolve (the 2018
// static build of @ffmpeg-installer/ffmpeg: libass with FriBidi, without HarfBuzz) with only the
// folder `prepareFontsDir` fills, and check every character comes out as a glyph, not a box.

const FONT_OPTIONS = { emoji: 'mono' } as const;
let dir: string;
let renders = 0;
const draw = (families: readonly FontFamily[], dialogues: readonly string[], fontSize?: number) => renderAss(join(dir, `r${renders++}`), families, dialogues, fontSize);

/** One dialogue line per grapheme, each in its own cell and in `familyOf` its grapheme. */
const grid = (graphemes: readonly string[], familyOf: (g: string) => string, show: (g: string) => string = (g) => g) =>
  graphemes.map((g, i) => `{\\an5\\pos(${gridCell(i).cx},${gridCell(i).cy})\\fn${familyOf(g)}}${show(g)}`);
const fontRunsLine = (text: string) =>
  fontRuns(text, FONT_OPTIONS)
    .map((run) => `{\\fn${run.family}}${run.text}`)
    .join('');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'libass-glyphs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('glyph coverage of captions (libass, no system fonts)', () => {
  it.each(SCRIPT_SAMPLES)('draws every $name character as a glyph', async ({ text, base }) => {
    const families = fontsForText(text, FONT_OPTIONS);
    const graphemes = gridGraphemes(text);
    const familyOf = (g: string) => fontRuns(g, FONT_OPTIONS)[0]!.family;
    const drawn = await draw(families, grid(graphemes, familyOf));
    const boxes = await draw(families, grid(graphemes, familyOf, boxesFor));
    expect(unreadable(drawn, boxes, graphemes)).toEqual([]);

    // The control: the same cells in the base family alone are boxes exactly where it lacks the
    // script, which shows the comparison tells boxes from glyphs.
    const inBase = await draw(families, grid(graphemes, () => BASE_FONT_FAMILY));
    const baseBoxes = await draw(families, grid(graphemes, () => BASE_FONT_FAMILY, boxesFor));
    expect(unreadable(inBase, baseBoxes, graphemes)).toEqual(base ? [] : graphemes);
  });

  it.each(SCRIPT_SAMPLES)('draws a $name line from font runs unlike the base family alone', async ({ script, text }) => {
    const families = fontsForText(text, FONT_OPTIONS);
    const runs = await draw(families, [fontRunsLine(text)]);
    const baseOnly = await draw(families, [`{\\fn${BASE_FONT_FAMILY}}${text}`]);
    if (['latin', 'cyrillic', 'greek'].includes(script)) expect(differenceIn(runs, baseOnly)).toBe(0);
    else expect(differenceIn(runs, baseOnly)).toBeGreaterThan(0.3);
  });
});

describe('right-to-left captions (libass with FriBidi)', () => {
  const middle = { x: 0, y: GRID.height / 3, width: GRID.width, height: GRID.height / 3 };

  it('joins Arabic letters', async () => {
    const families = fontsForText('ب');
    // ZERO WIDTH NON-JOINER between the letters keeps them apart: the isolated forms.
    const joined = await draw(families, [fontRunsLine('بببب')]);
    const apart = await draw(families, [fontRunsLine('ب\u200cب\u200cب\u200cب')]);
    expect(differenceIn(joined, apart, middle)).toBeGreaterThan(0.5);
  });

  it.each([
    ['Hebrew', 'ש שששששש'],
    ['Arabic', 'ب بببببب'],
    ['Hebrew with English', 'ש Hello world'],
  ])('lays %s out right to left', async (_, text) => {
    // The one-letter word comes first, so it must be at the right, the gap after it too.
    const picture = await draw(fontsForText(text), [fontRunsLine(text)], 40);
    expect(widestGapSide(picture, middle)).toBe('right');
  });
});
