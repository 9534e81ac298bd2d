import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_FONT_FAMILY, fontsForText } from '@scriptsensei/fonts';
import { SLIDE_THEMES, buildCardSvg, createSlides } from '@scriptsensei/adapters/images/slides';
import { cardFontFiles, cardFonts, leadFamily, lineFontFamily } from '../src/images/slides/card-fonts.js';
import { textWidthEm, wrapText } from '../src/images/slides/text-layout.js';
import {
  GRID,
  GRID_FONT_SIZE,
  SCRIPT_SAMPLES,
  boxesFor,
  differenceIn,
  gridCell,
  gridGraphemes,
  inkIn,
  unreadable,
  widestGapSide,
  type Picture,
} from '@scriptsensei/fonts/testing';
import { decodePicture } from './helpers/decode-picture.js';

// Slides are drawn by resvg 2.6 with the fonts `@scriptsensei/fonts` picks per card. These tests
// draw real cards and check every script comes out as glyphs (see @scriptsensei/fonts/testing for
// how a glyph is told from a missing-glyph box), in the right direction, and that the fonts are
// only what the card's text needs.

const [WIDTH, HEIGHT] = [640, 360];
/** The band of a title-less card where its text is. */
const TEXT_AREA = { x: 0, y: HEIGHT * 0.2, width: WIDTH, height: HEIGHT * 0.6 };
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const base = fontsForText('')[0]!;

let dir: string;
let files = 0;
const slides = createSlides();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slides-glyphs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A card as createSlides draws it. */
async function card(text: string, title?: string): Promise<Picture> {
  const outputPath = join(dir, `card-${files++}.png`);
  await slides.generate({ text, ...(title ? { title } : {}), sceneIndex: 0, sceneCount: 1, width: WIDTH, height: HEIGHT, outputPath });
  return decodePicture(outputPath, WIDTH, HEIGHT);
}

/** An SVG drawn by resvg with only `fontFiles`, decoded the way cards are. */
async function render(svg: string, fontFiles: string[]): Promise<Picture> {
  const outputPath = join(dir, `svg-${files++}.png`);
  const png = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: BASE_FONT_FAMILY }, logLevel: 'off' }).render().asPng();
  await writeFile(outputPath, png);
  return decodePicture(outputPath, WIDTH, HEIGHT);
}

/** One grapheme per grid cell, each `<text>` in the `font-family` list given for it. */
function gridSvg(graphemes: readonly string[], fontFamily: (g: string) => string, show: (g: string) => string = (g) => g): string {
  const cells = graphemes.map((g, i) => {
    const { cx, cy } = gridCell(i);
    return `<text x="${cx}" y="${cy + GRID_FONT_SIZE / 3}" text-anchor="middle" font-size="${GRID_FONT_SIZE}" fill="#fff" font-family="${escape(fontFamily(g))}">${escape(show(g))}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${GRID.width}" height="${GRID.height}"><rect width="100%" height="100%" fill="#000"/>${cells.join('')}</svg>`;
}

describe('glyph coverage of slides (resvg)', () => {
  it.each(SCRIPT_SAMPLES)('draws a $name card unlike the base font alone', async ({ script, text }) => {
    const drawn = await card(text);
    // The same card laid out the same way, with DejaVu Sans as its only font.
    const baseOnly = await render(
      buildCardSvg({ text, sceneIndex: 0, sceneCount: 1, width: WIDTH, height: HEIGHT, language: undefined }, SLIDE_THEMES.midnight, { text: [base], title: [] }),
      [base.regular],
    );
    expect(inkIn(drawn, TEXT_AREA)).toBeGreaterThan(100);
    if (['latin', 'cyrillic', 'greek'].includes(script)) expect(differenceIn(drawn, baseOnly, TEXT_AREA)).toBe(0);
    else expect(differenceIn(drawn, baseOnly, TEXT_AREA)).toBeGreaterThan(0.3);
  });

  it.each(SCRIPT_SAMPLES)('draws every $name character as a glyph', async ({ text, base: baseDraws }) => {
    const fonts = cardFonts(text, undefined);
    const lead = leadFamily(text, fonts.text);
    const graphemes = gridGraphemes(text);
    const fontFamily = (g: string) => lineFontFamily(g, fonts.text, lead);
    const drawn = await render(gridSvg(graphemes, fontFamily), cardFontFiles(fonts));
    const boxes = await render(gridSvg(graphemes, fontFamily, boxesFor), cardFontFiles(fonts));
    expect(unreadable(drawn, boxes, graphemes)).toEqual([]);

    // The control: with DejaVu Sans alone, the cells are boxes exactly where it lacks the script.
    const inBase = await render(gridSvg(graphemes, () => BASE_FONT_FAMILY), [base.regular]);
    const baseBoxes = await render(gridSvg(graphemes, () => BASE_FONT_FAMILY, boxesFor), [base.regular]);
    expect(unreadable(inBase, baseBoxes, graphemes)).toEqual(baseDraws ? [] : graphemes);
  });

  it('draws every line of a card mixing scripts', async () => {
    const text = 'Hello 中文 and Привет. 日本語のテキスト。 한국어 문장 🎉 שלום עולם and English';
    const drawn = await card(text);
    const rows = [0.3, 0.4, 0.5, 0.6, 0.7].map((y) => ({ x: 0, y: HEIGHT * y - 12, width: WIDTH, height: 24 }));
    expect(rows.filter((row) => inkIn(drawn, row) > 0).length).toBeGreaterThan(1);
    expect(inkIn(drawn, TEXT_AREA)).toBeGreaterThan(1000);
  });

  it('uses the outline emoji font: resvg 2.6 draws nothing for colour bitmaps', async () => {
    // If this starts failing, resvg draws CBDT emoji: slides could then use { emoji: 'color' }.
    const color = fontsForText('🎉', { emoji: 'color' }).at(-1)!;
    expect(color.color).toBe(true);
    const single = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#000"/><text x="320" y="200" font-size="96" fill="#fff" font-family="'${color.family}'">🎉</text></svg>`;
    expect(inkIn(await render(single, [color.regular]), { x: 0, y: 0, width: WIDTH, height: HEIGHT })).toBe(0);
    expect(cardFonts('🎉', undefined).text.map((f) => f.family)).toEqual([BASE_FONT_FAMILY, 'Noto Emoji']);
  });
});

describe('right-to-left slides', () => {
  it('joins Arabic letters', async () => {
    // ZERO WIDTH NON-JOINER between the letters keeps them apart: the isolated forms.
    expect(differenceIn(await card('بببب'), await card('ب\u200cب\u200cب\u200cب'), TEXT_AREA)).toBeGreaterThan(0.5);
  });

  it.each([
    ['Hebrew', 'ש שששששש', 'right'],
    ['Arabic', 'ب بببببب', 'right'],
    // resvg starts every line left to right; the card must make this one right to left.
    ['Hebrew opening with English', 'ש Hello world', 'right'],
    ['English', 'A AAAAAA', 'left'],
  ])('lays %s out in its direction', async (_, text, side) => {
    // The one-letter word comes first: at the right in right-to-left text, the gap after it too.
    expect(widestGapSide(await card(text), TEXT_AREA)).toBe(side);
  });

  it('aligns a right-to-left title to the right', async () => {
    const drawn = await card('שלום', 'כותרת');
    const titleBand = (x: number) => ({ x, y: 0, width: WIDTH / 2, height: HEIGHT * 0.15 });
    expect(inkIn(drawn, titleBand(WIDTH / 2))).toBeGreaterThan(50);
    expect(inkIn(drawn, titleBand(0))).toBe(0);
  });
});

describe('complex scripts on slides', () => {
  it('keeps the space after Thai sara am', async () => {
    // resvg 2.6 swallows the space after ำ unless the card writes it split (see svg-card.ts).
    expect(widestGapSide(await card('ทำ ททททท'), TEXT_AREA)).toBe('left');
  });
});

describe('card fonts', () => {
  it('loads only what the text needs: bold faces for the title, emoji first', () => {
    const fonts = cardFonts('Hello 😀', '中文');
    const names = cardFontFiles(fonts).map((file) => file.split('/').at(-1));
    expect(names).toEqual(['NotoEmoji_400Regular.ttf', 'NotoSansSC_700Bold.ttf', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']);
  });

  it('draws each line in a family that has all its scripts', () => {
    const lead = (text: string) => leadFamily(text, cardFonts(text, undefined).text).family;
    expect(lead('Hello world')).toBe(BASE_FONT_FAMILY);
    expect(lead('مرحبا بالعالم')).toBe('Noto Sans Arabic');
    expect(lead('שלום. مرحبا')).toBe(BASE_FONT_FAMILY);
    expect(lead('مرحبا 😀')).toBe(BASE_FONT_FAMILY);
    expect(lead('你好 world')).toBe('Noto Sans SC');
    expect(lead('안녕 こんにちは')).toBe('Noto Sans KR');
  });
});

describe('text layout', () => {
  it('estimates widths per script', () => {
    expect(textWidthEm('中文字')).toBeCloseTo(3);
    expect(textWidthEm('🎉')).toBeGreaterThan(1.2);
    expect(textWidthEm('สวัสดี')).toBeLessThan(3);
    expect(textWidthEm('abc')).toBeCloseTo(1.86);
  });

  it('breaks Chinese and Japanese between characters, never before closing punctuation', () => {
    const lines = wrapText('这是一个很长的中文句子，用来测试自动换行。日本語のテキストです。', 6);
    expect(lines.join('')).toBe('这是一个很长的中文句子，用来测试自动换行。日本語のテキストです。');
    for (const line of lines) expect(textWidthEm(line)).toBeLessThanOrEqual(6);
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^[，。、]/);
  });

  it('breaks Thai between words', () => {
    const words = ['สวัสดี', 'ครับ', 'นี่', 'คือ', 'การ', 'ทดสอบ', 'ข้อความ', 'ภาษา', 'ไทย'];
    const lines = wrapText(words.join(''), 5);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe(words.join(''));
    // Every line ends where a word ends.
    let end = 0;
    const ends = new Set(words.map((w) => (end += w.length)));
    let at = 0;
    for (const line of lines) expect(ends.has((at += line.length))).toBe(true);
  });

  it('breaks spaced text at spaces and overlong words between graphemes', () => {
    expect(wrapText('one two three four', 5)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('x'.repeat(20), 5).every((line) => textWidthEm(line) <= 5)).toBe(true);
  });
});
