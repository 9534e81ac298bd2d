/** Colours of a slide card. All are `#rrggbb`. */
export interface SlideTheme {
  background: string;
  /** Second stop of the background gradient. */
  backgroundEnd: string;
  text: string;
  accent: string;
}

/** Built-in themes; each keeps text contrast at WCAG AA (≥ 4.5:1) on both gradient stops. */
export const SLIDE_THEMES = {
  midnight: { background: '#0f172a', backgroundEnd: '#1e293b', text: '#f8fafc', accent: '#38bdf8' },
  paper: { background: '#fdfbf7', backgroundEnd: '#f1ede4', text: '#1c1917', accent: '#b45309' },
  ocean: { background: '#083344', backgroundEnd: '#0e7490', text: '#ecfeff', accent: '#fde047' },
  sunset: { background: '#431407', backgroundEnd: '#7c2d12', text: '#fff7ed', accent: '#fdba74' },
  forest: { background: '#052e16', backgroundEnd: '#14532d', text: '#f0fdf4', accent: '#86efac' },
} as const satisfies Record<string, SlideTheme>;

export type SlideThemeName = keyof typeof SLIDE_THEMES;

/** Minimum contrast ratio between text and background (WCAG 2 AA for normal text). */
export const MIN_CONTRAST = 4.5;

const HEX = /^#[0-9a-fA-F]{6}$/;

export function isHexColor(value: string): boolean {
  return HEX.test(value);
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours, 1..21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
