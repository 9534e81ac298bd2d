import { BASE_FONT_FAMILY, fontRuns, fontsForText, scriptsIn, type FontFamily, type ScriptName } from '@scriptsensei/fonts';

/** resvg 2.6 draws nothing for colour-bitmap (CBDT) emoji, so cards use the outline emoji font. */
const FONT_OPTIONS = { emoji: 'mono' } as const;

/**
 * Scripts the bundled families draw besides their own (from their character maps): every Noto
 * text family has Latin, the CJK ones Cyrillic and Greek too, and DejaVu Sans Arabic and Hebrew.
 */
const ALSO_DRAWS: Readonly<Record<string, readonly ScriptName[]>> = {
  [BASE_FONT_FAMILY]: ['arabic', 'hebrew'],
  'Noto Sans SC': ['latin', 'cyrillic', 'greek'],
  'Noto Sans KR': ['latin', 'cyrillic', 'greek', 'kana'],
  'Noto Sans Arabic': ['latin'],
  'Noto Sans Hebrew': ['latin'],
  'Noto Sans Devanagari': ['latin'],
  'Noto Sans Thai': ['latin'],
};

/** The families of a card's text (regular faces) and of its title (bold faces). */
export interface CardFonts {
  text: FontFamily[];
  title: FontFamily[];
}

/** The families a card needs; only these are loaded, since a CJK face alone is 10 MB. */
export function cardFonts(text: string, title: string | undefined): CardFonts {
  return { text: fontsForText(text, FONT_OPTIONS), title: title ? fontsForText(title, FONT_OPTIONS) : [] };
}

/**
 * The files to load, in the order resvg falls back through them for a character the line's
 * family lacks: emoji first (DejaVu Sans has a few emoji of its own, in another style), then
 * the script families, the base family last.
 */
export function cardFontFiles(fonts: CardFonts): string[] {
  const rank = (f: FontFamily) => (f.scripts.includes('emoji') ? 0 : f.family === BASE_FONT_FAMILY ? 2 : 1);
  const faces = [...fonts.text.map((f) => [f, f.regular] as const), ...fonts.title.map((f) => [f, f.bold ?? f.regular] as const)];
  return [...new Set(faces.sort(([a], [b]) => rank(a) - rank(b)).map(([, file]) => file))];
}

/** A `font-family` value: the families, quoted, in the order given. */
export function fontFamilyList(families: readonly string[]): string {
  return families.map((family) => `'${family}'`).join(', ');
}

/**
 * The family to draw `text` with; characters it lacks are left to resvg's per-character
 * fallback (through the font files in {@link cardFontFiles} order).
 *
 * Text is drawn in one family, never a span per script: resvg 2.6 shapes a line whole with
 * every span's font and draws nothing when two fonts shape it into different numbers of glyphs
 * (Arabic joining, Devanagari conjuncts, emoji sequences). Its fallback gives up under the same
 * condition, so the family is one that draws all the text's scripts when there is one (DejaVu
 * Sans for Hebrew with Arabic, Noto Sans KR for Korean with kana), and else the one drawing
 * most of it. With emoji, DejaVu Sans is preferred where it draws the rest, since it has the
 * common smileys itself and needs no fallback for them.
 */
export function leadFamily(text: string, families: readonly FontFamily[]): FontFamily {
  const all = scriptsIn(text);
  const scripts = all.filter((s) => s !== 'emoji');
  const drawn = new Map<string, number>();
  for (const run of fontRuns(text, FONT_OPTIONS)) drawn.set(run.family, (drawn.get(run.family) ?? 0) + run.text.length);
  const preferBase = all.includes('emoji');
  const score = (f: FontFamily) => (preferBase && f.family === BASE_FONT_FAMILY ? Infinity : (drawn.get(f.family) ?? 0));
  const byScore = (a: FontFamily, b: FontFamily) => score(b) - score(a);
  const candidates = families.filter((f) => !f.scripts.includes('emoji'));
  return candidates.filter((f) => drawsAll(f, scripts)).sort(byScore)[0] ?? [...candidates].sort(byScore)[0] ?? families[0]!;
}

/**
 * The `font-family` list of one line of a card: the card's lead family when it draws the
 * line's scripts (so every line looks alike), else the line's own lead; then the others.
 */
export function lineFontFamily(line: string, families: readonly FontFamily[], cardLead: FontFamily): string {
  const scripts = scriptsIn(line).filter((s) => s !== 'emoji');
  const lead = drawsAll(cardLead, scripts) ? cardLead : leadFamily(line, families);
  return fontFamilyList([lead.family, ...families.filter((f) => f !== lead).map((f) => f.family)]);
}

function drawsAll(family: FontFamily, scripts: readonly ScriptName[]): boolean {
  return scripts.every((s) => family.scripts.includes(s) || ALSO_DRAWS[family.family]?.includes(s));
}
