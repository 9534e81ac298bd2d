import { existsSync, lstatSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_FONT_FAMILY, fontRuns, fontsForText, installedFamilies, missingScripts, prepareFontsDir, scriptsIn, textDirection } from '@scriptsensei/fonts';

const MIXED = 'Hello 中文 and العربية 😀!';

describe('scriptsIn', () => {
  it('lists each script once, in a fixed order', () => {
    expect(scriptsIn(MIXED)).toEqual(['latin', 'han', 'arabic', 'emoji']);
    expect(scriptsIn('안녕 こんにちは Привет Γειά नमस्ते สวัสดี שלום')).toEqual(['cyrillic', 'greek', 'kana', 'hangul', 'hebrew', 'devanagari', 'thai']);
    expect(scriptsIn('1, 2, 3! ☺ ✈')).toEqual([]);
    expect(scriptsIn('')).toEqual([]);
  });

  it('treats emoji sequences as emoji, and text-style symbols as text', () => {
    // A keycap, a flag, a ZWJ family, a skin tone and VS16: emoji, not digits and letters.
    expect(scriptsIn('1️⃣ 🇫🇷 👨‍👩‍👧 👍🏽 ❤️')).toEqual(['emoji']);
    expect(scriptsIn('© ™ ☺ ❤')).toEqual([]);
  });

  it('counts CJK punctuation as Chinese only when no CJK letters carry it', () => {
    expect(scriptsIn('Hello。')).toEqual(['latin', 'han']);
    expect(scriptsIn('안녕。')).toEqual(['hangul']);
  });
});

describe('textDirection', () => {
  it('follows the first strong character', () => {
    expect(textDirection('שלום world')).toBe('rtl');
    expect(textDirection('123, مرحبا world')).toBe('rtl');
    expect(textDirection('Hello مرحبا')).toBe('ltr');
    expect(textDirection(MIXED)).toBe('ltr');
    expect(textDirection('\u200fHello')).toBe('rtl');
    expect(textDirection('123 😀')).toBe('ltr');
  });
});

describe('fontsForText', () => {
  it('starts with the base family and adds one family per script the text needs', () => {
    expect(fontsForText('Just Latin, кириллица, ελληνικά.').map((f) => f.family)).toEqual([BASE_FONT_FAMILY]);
    expect(fontsForText(MIXED).map((f) => f.family)).toEqual([BASE_FONT_FAMILY, 'Noto Sans SC', 'Noto Sans Arabic', 'Noto Emoji']);
    expect(fontsForText('日本語のテキスト 한국어').map((f) => f.family)).toEqual([BASE_FONT_FAMILY, 'Noto Sans SC', 'Noto Sans KR']);
    expect(fontsForText('นี่ हिंदी שלום').map((f) => f.family)).toEqual([BASE_FONT_FAMILY, 'Noto Sans Hebrew', 'Noto Sans Devanagari', 'Noto Sans Thai']);
  });

  it('returns absolute paths of regular and bold faces that exist', () => {
    for (const family of fontsForText('中文 한국어 العربية שלום हिंदी ไทย 😀')) {
      for (const file of [family.regular, family.bold]) expect(file && existsSync(file), `${family.family}: ${file}`).toBe(true);
    }
  });

  it('picks the colour emoji family only when asked for and installed', () => {
    expect(fontsForText('😀', { emoji: 'mono' }).at(-1)).toMatchObject({ family: 'Noto Emoji', scripts: ['emoji'] });
    const color = fontsForText('😀', { emoji: 'color' }).at(-1)!;
    expect(color).toMatchObject({ family: 'Noto Color Emoji', color: true });
    expect(color.bold).toBeUndefined();
  });

  it('resolves each family once', () => {
    expect(fontsForText('中文')[1]).toBe(fontsForText('汉字')[1]);
  });

  it('lists every installed family for a fingerprint', () => {
    expect(installedFamilies().map((f) => f.family)).toEqual([
      BASE_FONT_FAMILY,
      'Noto Sans SC',
      'Noto Sans KR',
      'Noto Sans Arabic',
      'Noto Sans Hebrew',
      'Noto Sans Devanagari',
      'Noto Sans Thai',
      'Noto Emoji',
    ]);
    expect(installedFamilies({ emoji: 'color' }).at(-1)!.family).toBe('Noto Color Emoji');
  });
});

describe('missingScripts', () => {
  it('is empty when every optional font is installed', () => {
    expect(missingScripts('中文 日本語 한국어 العربية שלום हिंदी ไทย 😀 Привет')).toEqual([]);
  });
});

describe('fontRuns', () => {
  it('cuts mixed text into runs per family', () => {
    expect(fontRuns(MIXED)).toEqual([
      { text: 'Hello ', family: BASE_FONT_FAMILY },
      { text: '中文 ', family: 'Noto Sans SC' },
      { text: 'and ', family: BASE_FONT_FAMILY },
      { text: 'العربية ', family: 'Noto Sans Arabic' },
      { text: '😀', family: 'Noto Emoji' },
      // The emoji font has no "!", so what follows emoji goes to the base family.
      { text: '!', family: BASE_FONT_FAMILY },
    ]);
    expect(fontRuns(MIXED).map((r) => r.text).join('')).toBe(MIXED);
  });

  it('keeps spaces, digits and punctuation with the run around them', () => {
    expect(fontRuns('中文，2024年。 OK')).toEqual([
      { text: '中文，2024年。 ', family: 'Noto Sans SC' },
      { text: 'OK', family: BASE_FONT_FAMILY },
    ]);
    expect(fontRuns('“¡Hola!” 😀 😀 ok')).toEqual([
      { text: '“¡Hola!” ', family: BASE_FONT_FAMILY },
      { text: '😀', family: 'Noto Emoji' },
      { text: ' ', family: BASE_FONT_FAMILY },
      { text: '😀', family: 'Noto Emoji' },
      { text: ' ok', family: BASE_FONT_FAMILY },
    ]);
    expect(fontRuns('。')).toEqual([{ text: '。', family: 'Noto Sans SC' }]);
    expect(fontRuns('')).toEqual([]);
  });

  it('keeps right-to-left runs in logical order', () => {
    expect(fontRuns('שלום, world! مرحبا')).toEqual([
      { text: 'שלום, ', family: 'Noto Sans Hebrew' },
      { text: 'world! ', family: BASE_FONT_FAMILY },
      { text: 'مرحبا', family: 'Noto Sans Arabic' },
    ]);
  });

  it('uses the colour family for emoji when asked', () => {
    expect(fontRuns('Hi 🎉', { emoji: 'color' }).at(-1)).toEqual({ text: '🎉', family: 'Noto Color Emoji' });
  });
});

describe('prepareFontsDir', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fonts-dir-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('links the needed files, and is idempotent', async () => {
    const target = join(dir, 'hebrew');
    expect(await prepareFontsDir(fontsForText('שלום'), target)).toBe(target);
    await prepareFontsDir(fontsForText('שלום'), target);
    const files = (await readdir(target)).sort();
    expect(files).toEqual(['DejaVuSans-Bold.ttf', 'DejaVuSans.ttf', 'NotoSansHebrew_400Regular.ttf', 'NotoSansHebrew_700Bold.ttf']);
    for (const file of files) expect(lstatSync(join(target, file)).isSymbolicLink()).toBe(true);
  });

  it('writes emoji fonts with the BMP character map pointing at the full one', async () => {
    const target = join(dir, 'emoji');
    const [, emoji] = fontsForText('😀');
    await prepareFontsDir([emoji!], target);
    const written = join(target, 'NotoEmoji_400Regular.ttf');
    expect(lstatSync(written).isSymbolicLink()).toBe(false);
    const encodings = cmapEncodings(await readFile(written));
    const full = encodings.find((e) => e.platform === 3 && e.encoding === 10)!;
    expect(encodings.find((e) => e.platform === 3 && e.encoding === 1)!.offset).toBe(full.offset);
    // The original is untouched.
    expect(cmapEncodings(await readFile(emoji!.regular)).find((e) => e.platform === 3 && e.encoding === 1)!.offset).not.toBe(full.offset);
  });
});

/** The encoding records of a font's cmap table. */
function cmapEncodings(font: Buffer): { platform: number; encoding: number; offset: number }[] {
  let cmap = 0;
  for (let i = 0; i < font.readUInt16BE(4); i++) if (font.toString('latin1', 12 + 16 * i, 16 + 16 * i) === 'cmap') cmap = font.readUInt32BE(20 + 16 * i);
  return Array.from({ length: font.readUInt16BE(cmap + 2) }, (_, i) => {
    const record = cmap + 4 + 8 * i;
    return { platform: font.readUInt16BE(record), encoding: font.readUInt16BE(record + 2), offset: font.readUInt32BE(record + 4) };
  });
}
