/**
 * Writing systems a font is picked for. Text in any other script (Armenian, Tamil, …) is left to
 * the base family, which draws some of them.
 */
export type ScriptName = 'latin' | 'cyrillic' | 'greek' | 'han' | 'kana' | 'hangul' | 'arabic' | 'hebrew' | 'devanagari' | 'thai' | 'emoji';

/** Every script, in the order results list them (so texts with the same scripts give equal lists). */
export const SCRIPT_NAMES: readonly ScriptName[] = ['latin', 'cyrillic', 'greek', 'han', 'kana', 'hangul', 'arabic', 'hebrew', 'devanagari', 'thai', 'emoji'];

const SCRIPT_PATTERNS: readonly (readonly [ScriptName, RegExp])[] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['han', /\p{Script=Han}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['thai', /\p{Script=Thai}/u],
];

/**
 * Emoji drawn as emoji: characters with emoji presentation, any emoji followed by VS16 (❤️),
 * keycaps (1️⃣), and pictographs beyond the BMP. Pictographs in the BMP without VS16 (☺, ✈, ★)
 * default to text presentation, so the base family draws them, as Unicode intends.
 */
const EMOJI = /\p{Emoji_Presentation}|\p{Emoji}\uFE0F|\u20E3|(?=\p{Extended_Pictographic})[\u{1F000}-\u{1FAFF}]/u;

/**
 * CJK punctuation, full-width forms and the kana middle dot and long-vowel mark: script
 * Common, yet only CJK fonts draw them.
 */
const CJK_COMMON = /^[\u3000-\u303F\u30FB\u30FC\uFF01-\uFF60\uFFE0-\uFFE6]/u;

/** What draws one grapheme: a script's font, any CJK font, or whichever font surrounds it. */
export type GraphemeClass = ScriptName | 'cjk-common' | undefined;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The grapheme clusters of `text`, as a reader counts characters. */
export function graphemesOf(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/** Which font a grapheme needs; `undefined` for spaces, digits, punctuation and unknown scripts. */
export function classifyGrapheme(grapheme: string): GraphemeClass {
  if (EMOJI.test(grapheme)) return 'emoji';
  if (CJK_COMMON.test(grapheme)) return 'cjk-common';
  for (const [name, pattern] of SCRIPT_PATTERNS) if (pattern.test(grapheme)) return name;
  return undefined;
}

/** The CJK scripts: their fonts all draw CJK punctuation and full-width forms. */
export const CJK_SCRIPTS: readonly ScriptName[] = ['han', 'kana', 'hangul'];

/**
 * The scripts in `text` that need a font, in the order `ScriptName` lists them. CJK punctuation
 * with no Chinese, Japanese or Korean letters around it counts as `han`, since only CJK fonts
 * draw it.
 */
export function scriptsIn(text: string): ScriptName[] {
  const found = new Set<ScriptName>();
  let cjkCommon = false;
  for (const grapheme of graphemesOf(text)) {
    const kind = classifyGrapheme(grapheme);
    if (kind === 'cjk-common') cjkCommon = true;
    else if (kind) found.add(kind);
  }
  if (cjkCommon && !CJK_SCRIPTS.some((script) => found.has(script))) found.add('han');
  return SCRIPT_NAMES.filter((script) => found.has(script));
}

/** Letters, and the bidi marks that act as letters (LRM, RLM, ALM). */
const STRONG = /[\p{L}\u200E\u200F\u061C]/u;
const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\u200F\u061C]/u;

/**
 * The base direction of `text` by its first strong character (rule P2 of the Unicode bidi
 * algorithm): `rtl` when it is Arabic, Hebrew or another right-to-left script, else `ltr`
 * (also for text with no letters at all).
 */
export function textDirection(text: string): 'ltr' | 'rtl' {
  const strong = STRONG.exec(text);
  return strong && RIGHT_TO_LEFT.test(strong[0]) ? 'rtl' : 'ltr';
}

