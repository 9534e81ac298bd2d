import { baseFamily, familyFor, type EmojiStyle, type FontFamily } from './families.js';
import { CJK_SCRIPTS, classifyGrapheme, graphemesOf, scriptsIn, type ScriptName } from './scripts.js';

/** How emoji are drawn. */
export interface FontOptions {
  /**
   * `mono` outlines (Noto Emoji), or `color` bitmaps (Noto Color Emoji, when the application
   * installed it; else the outlines). libass and resvg 2.6 draw only outlines.
   * @defaultValue 'mono'
   */
  emoji?: EmojiStyle;
}

/** A stretch of text and the family that draws it. */
export interface FontRun {
  text: string;
  family: string;
}

/**
 * The families `text` needs: the base family first, then one per script it uses whose font is
 * installed, in script order. Cheap: no font file is read, and package paths are resolved once.
 */
export function fontsForText(text: string, options: FontOptions = {}): FontFamily[] {
  const families = [baseFamily()];
  for (const script of scriptsIn(text)) {
    const family = familyFor(script, options.emoji);
    if (family && !families.includes(family)) families.push(family);
  }
  return families;
}

/**
 * Scripts in `text` with no installed font (their optional packages were left out): they draw
 * as missing-glyph boxes.
 */
export function missingScripts(text: string): ScriptName[] {
  return scriptsIn(text).filter((script) => !familyFor(script, 'mono') && !familyFor(script, 'color'));
}

/**
 * `text` cut into runs, each drawn by one family, for renderers that do not fall back from one
 * font to another (libass with fonts from a folder: write each run as `{\fnFamily}text`).
 * Spaces, digits and punctuation stay with the run before them, since every text family draws
 * them; the emoji font does not, so after emoji they join the next run (or the base family at
 * the end). CJK punctuation joins a CJK run, or else takes the Chinese font. Script fonts that
 * are not installed leave their text to the base family, which draws boxes for it.
 */
export function fontRuns(text: string, options: FontOptions = {}): FontRun[] {
  const base = baseFamily().family;
  const emojiFamily = familyFor('emoji', options.emoji)?.family;
  const cjkFamilies = new Set(CJK_SCRIPTS.map((script) => familyFor(script)?.family));
  const familyOf = (script: ScriptName) => familyFor(script, options.emoji)?.family ?? base;

  const runs: FontRun[] = [];
  let pending = '';
  const add = (piece: string, family: string) => {
    const last = runs.at(-1);
    if (last?.family === family) last.text += piece;
    else runs.push({ text: piece, family });
  };
  for (const grapheme of graphemesOf(text)) {
    const kind = classifyGrapheme(grapheme);
    const last = runs.at(-1);
    if (kind === undefined) {
      pending += grapheme;
      continue;
    }
    const family = kind === 'cjk-common' ? (last && cjkFamilies.has(last.family) ? last.family : familyOf('han')) : familyOf(kind);
    if (pending) {
      // Neutral text goes with the run before it, unless that is emoji (or there is none).
      if (last && last.family !== emojiFamily) add(pending, last.family);
      else add(pending, family === emojiFamily ? base : family);
      pending = '';
    }
    add(grapheme, family);
  }
  if (pending) {
    const last = runs.at(-1);
    add(pending, last && last.family !== emojiFamily ? last.family : base);
  }
  return runs;
}
