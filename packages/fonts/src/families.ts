import { createRequire } from 'node:module';
import type { ScriptName } from './scripts.js';

/** A font family and the files of its regular and bold faces. */
export interface FontFamily {
  /** The family name inside the font files, as libass and resvg match it. */
  family: string;
  /** The scripts this family is picked for. */
  scripts: ScriptName[];
  /** Absolute path of the regular (400) face. */
  regular: string;
  /** Absolute path of the bold (700) face, when there is one. */
  bold?: string;
  /** Colour glyphs (bitmaps) instead of outlines. */
  color?: boolean;
}

/** The family every text starts with: Latin, Cyrillic, Greek, and many symbols. */
export const BASE_FONT_FAMILY = 'DejaVu Sans';

interface Entry {
  family: string;
  scripts: ScriptName[];
  /** The npm package, and the paths of its faces inside it. */
  package: string;
  regular: string;
  bold?: string;
  color?: boolean;
}

/** A family from the `@expo-google-fonts` packages, which name packages and files after it. */
function noto(family: string, scripts: ScriptName[]): Entry {
  const file = family.replace(/ /g, '');
  return {
    family,
    scripts,
    package: `@expo-google-fonts/${family.toLowerCase().replace(/ /g, '-')}`,
    regular: `400Regular/${file}_400Regular.ttf`,
    bold: `700Bold/${file}_700Bold.ttf`,
  };
}

const DEJAVU: Entry = { family: BASE_FONT_FAMILY, scripts: ['latin', 'cyrillic', 'greek'], package: 'dejavu-fonts-ttf', regular: 'ttf/DejaVuSans.ttf', bold: 'ttf/DejaVuSans-Bold.ttf' };
// Noto Sans SC has all of Chinese and Japanese kana (the SC forms of shared Han characters), but
// no Hangul: Korean needs Noto Sans KR, which also has kana.
const SC = noto('Noto Sans SC', ['han', 'kana']);
const KR = noto('Noto Sans KR', ['hangul']);
const ARABIC = noto('Noto Sans Arabic', ['arabic']);
const HEBREW = noto('Noto Sans Hebrew', ['hebrew']);
const DEVANAGARI = noto('Noto Sans Devanagari', ['devanagari']);
const THAI = noto('Noto Sans Thai', ['thai']);
// Monochrome outlines: libass cannot draw colour bitmaps, and resvg 2.6 draws nothing for them.
const EMOJI = noto('Noto Emoji', ['emoji']);
// CBDT colour bitmaps, one weight. Not a dependency (25 MB, and neither renderer here draws it):
// it is used when the application installs it (an optional peer) and asks for colour.
const COLOR_EMOJI: Entry = {
  family: 'Noto Color Emoji',
  scripts: ['emoji'],
  package: '@expo-google-fonts/noto-color-emoji',
  regular: '400Regular/NotoColorEmoji_400Regular.ttf',
  color: true,
};

/** Every family, base first: the order fallback lists and fonts folders use. */
const CATALOGUE: readonly Entry[] = [DEJAVU, SC, KR, ARABIC, HEBREW, DEVANAGARI, THAI, EMOJI, COLOR_EMOJI];

/** Which families draw a script, best first. DejaVu Sans has Arabic and Hebrew letters too. */
const SCRIPT_FONTS: Record<ScriptName, readonly Entry[]> = {
  latin: [DEJAVU],
  cyrillic: [DEJAVU],
  greek: [DEJAVU],
  han: [SC],
  kana: [SC, KR],
  hangul: [KR],
  arabic: [ARABIC, DEJAVU],
  hebrew: [HEBREW, DEJAVU],
  devanagari: [DEVANAGARI],
  thai: [THAI],
  emoji: [EMOJI],
};

/** Emoji style: `mono` outlines, or `color` bitmaps where the colour font is installed. */
export type EmojiStyle = 'color' | 'mono';

const require = createRequire(import.meta.url);
const resolved = new Map<Entry, FontFamily | null>();

/** The family of an entry, or `null` when its (optional) package is not installed. Memoised. */
function installed(entry: Entry): FontFamily | null {
  let family = resolved.get(entry);
  if (family === undefined) {
    try {
      family = Object.freeze({
        family: entry.family,
        scripts: Object.freeze([...entry.scripts]) as ScriptName[],
        regular: require.resolve(`${entry.package}/${entry.regular}`),
        ...(entry.bold ? { bold: require.resolve(`${entry.package}/${entry.bold}`) } : {}),
        ...(entry.color ? { color: true } : {}),
      });
    } catch {
      family = null;
    }
    resolved.set(entry, family);
  }
  return family;
}

/** The best installed family for a script, or `null` when none of its fonts is installed. */
export function familyFor(script: ScriptName, emoji: EmojiStyle = 'mono'): FontFamily | null {
  const candidates = script === 'emoji' && emoji === 'color' ? [COLOR_EMOJI, ...SCRIPT_FONTS.emoji] : SCRIPT_FONTS[script];
  for (const entry of candidates) {
    const family = installed(entry);
    if (family) return family;
  }
  return null;
}

/**
 * The base family. Its package is a dependency, so it is missing only from a broken install,
 * which this reports instead of drawing every card blank.
 */
export function baseFamily(): FontFamily {
  const family = installed(DEJAVU);
  if (!family) throw new Error(`the base font ${BASE_FONT_FAMILY} is not installed: reinstall @scriptsensei/fonts (it depends on dejavu-fonts-ttf)`);
  return family;
}

/**
 * Every family this installation can use, base first (for a fingerprint of what renders can
 * draw, or a diagnostic). The colour emoji family is listed only for `emoji: 'color'`.
 */
export function installedFamilies(options: { emoji?: EmojiStyle } = {}): FontFamily[] {
  baseFamily();
  return CATALOGUE.filter((entry) => options.emoji === 'color' || !entry.color)
    .map(installed)
    .filter((family): family is FontFamily => family !== null);
}
