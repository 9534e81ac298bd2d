import { join } from 'node:path';
import { fontRuns, fontsForText, prepareFontsDir } from '@scriptsensei/fonts';
import type { BurnInCaptions } from '../media/compose.js';
import type { CaptionSettings } from '../pipeline/render-settings.js';

/** Folder (inside the render's work directory) holding the fonts libass may load. */
const FONTS_DIR = 'fonts';

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
    fontRuns: (run) => fontRuns(run).map((r) => (r.family === families[0]?.family ? { ...r, family: base } : r)),
  };
}
