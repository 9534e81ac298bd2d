import { join } from 'node:path';
import { fontRuns, fontsForText, prepareFontsDir } from '@scriptsensei/fonts';
import type { BurnInCaptions } from '../media/compose.js';
import type { CaptionSettings } from '../pipeline/render-settings.js';

/** Folder (inside the render's work directory) holding the fonts libass may load. */
const FONTS_DIR = 'fonts';

/**
 * libass sizes a font by its line metrics, and the Noto fonts for tall scripts have far larger
 * ones than DejaVu Sans: at one font size their glyphs come out smaller (Arabic at about 0.54x,
 * Devanagari 0.61x, Thai 0.77x, CJK 0.80x, measured by drawing each). These bring them back to
 * the caption's apparent size.
 */
const LIBASS_SCALE: Record<string, number> = {
  'Noto Sans Arabic': 1.6,
  'Noto Sans Devanagari': 1.5,
  'Noto Sans Thai': 1.25,
  'Noto Sans SC': 1.2,
  'Noto Sans KR': 1.2,
};

/**
 * The burn-in settings for a script: a fonts folder holding only the families its text needs
 * (libass reads every font in the folder, so a Latin script never loads a 10 MB CJK font),
 * and runs that name the family drawing each stretch of text, since libass does not fall back
 * from one font we hand it to another.
 */
export async function captionFonts(captions: CaptionSettings, text: string, workDir: string): Promise<BurnInCaptions> {
  const families = fontsForText(text);
  await prepareFontsDir(families, join(workDir, FONTS_DIR));
  const base = captions.look.font;
  return {
    look: captions.look,
    wordHighlight: captions.wordHighlight,
    fontsDir: FONTS_DIR,
    // Text the bundled base family draws is drawn in the caller's chosen font instead.
    fontRuns: (run) =>
      fontRuns(run).map((r) => (r.family === families[0]?.family ? { ...r, family: base } : { ...r, scale: LIBASS_SCALE[r.family] ?? 1 })),
  };
}
