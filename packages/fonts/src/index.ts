/**
 * Fonts for every script, from npm packages, picked per text: DejaVu Sans for Latin, Cyrillic
 * and Greek, Noto for CJK, Arabic, Hebrew, Devanagari, Thai and emoji (optional dependencies,
 * so an installation may leave any of them out).
 */
export { BASE_FONT_FAMILY, installedFamilies, type EmojiStyle, type FontFamily } from './families.js';
export { scriptsIn, textDirection, type ScriptName } from './scripts.js';
export { fontRuns, fontsForText, missingScripts, type FontOptions, type FontRun } from './select.js';
export { prepareFontsDir } from './fonts-dir.js';
