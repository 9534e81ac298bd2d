import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ImageProvider, ImageRequest, ImageResult } from '@scriptsensei/core';
import { ConfigurationError } from '@scriptsensei/core';
import { BASE_FONT_FAMILY, installedFamilies } from '@scriptsensei/fonts';
import { runWorkerTask } from '../../worker-task.js';
import { cardFontFiles, cardFonts } from './card-fonts.js';
import { CARD_LAYOUT_VERSION, buildCardSvg } from './svg-card.js';
import { MIN_CONTRAST, SLIDE_THEMES, contrastRatio, isHexColor, type SlideTheme, type SlideThemeName } from './themes.js';

export interface SlidesOptions {
  /**
   * Built-in theme, or custom colours. A request's `style` naming a built-in theme wins.
   * @defaultValue 'midnight'
   */
  theme?: SlideThemeName | SlideTheme;
  /**
   * Extra font files (TTF/OTF) for a script the bundled fonts lack, or whose optional package
   * was left out: resvg falls back to them for any character no bundled font draws.
   * @defaultValue []
   */
  fontFiles?: string[];
  /**
   * Also load the system's fonts. Slower (scans font directories on every card).
   * @defaultValue false
   */
  loadSystemFonts?: boolean;
  /** BCP-47 tag passed to the renderer for language-specific glyph shaping. */
  language?: string;
}

const require = createRequire(import.meta.url);

/**
 * Rasterises the SVG and encodes the PNG in a worker thread: both are CPU-bound (tens of
 * milliseconds at 1080p) and resvg's PNG encoder is synchronous. The thread also takes the
 * native pixel buffers with it when it ends, so memory does not grow with the scene count.
 */
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  try {
    const resvg = await import(workerData.resvgUrl);
    const { Resvg } = resvg.Resvg ? resvg : resvg.default;
    const png = new Resvg(workerData.svg, workerData.options).render().asPng();
    (await import('node:fs')).writeFileSync(workerData.outputPath, png);
    parentPort.postMessage({ result: null });
  } catch (error) {
    parentPort.postMessage({ error: 'could not render the card: ' + (error && error.message || error) });
  }
})();
`;

/**
 * Scene cards rendered from SVG by resvg in worker threads (off the event loop): the
 * title, the scene's text wrapped and sized to fit, a progress bar and a "3 / 7" marker.
 *
 * Fonts come from `@scriptsensei/fonts`, so cards look the same on every machine: each card
 * loads only the families its text needs (DejaVu Sans, plus Noto for CJK, Arabic, Hebrew,
 * Devanagari, Thai or emoji). Text in a script whose optional font package is not installed
 * (see `missingScripts` there) is drawn as missing-glyph boxes; the card still renders.
 */
export function createSlides(options: SlidesOptions = {}): ImageProvider {
  const baseTheme = resolveTheme(options.theme ?? 'midnight');
  const resvgUrl = pathToFileURL(require.resolve('@resvg/resvg-js')).href;
  const extraFonts = options.fontFiles ?? [];

  return {
    specificationVersion: 'v1',
    provider: 'slides',
    // Installing or removing a font package changes what cards look like.
    fingerprint: JSON.stringify({
      layout: CARD_LAYOUT_VERSION,
      theme: baseTheme,
      fonts: installedFontFamilies(),
      extraFonts,
      systemFonts: options.loadSystemFonts ?? false,
      language: options.language,
    }),
    async generate(request: ImageRequest): Promise<ImageResult> {
      const theme = request.style && request.style in SLIDE_THEMES ? SLIDE_THEMES[request.style as SlideThemeName] : baseTheme;
      const fonts = cardFonts(request.text, request.title);
      const svg = buildCardSvg(
        {
          text: request.text,
          title: request.title,
          sceneIndex: request.sceneIndex,
          sceneCount: request.sceneCount,
          width: request.width,
          height: request.height,
          language: options.language,
        },
        theme,
        fonts,
      );
      const renderOptions = {
        font: { loadSystemFonts: options.loadSystemFonts ?? false, fontFiles: [...cardFontFiles(fonts), ...extraFonts], defaultFontFamily: BASE_FONT_FAMILY },
        fitTo: { mode: 'original' },
        logLevel: 'off',
      };
      await runWorkerTask('slides', WORKER_SOURCE, { resvgUrl, svg, options: renderOptions, outputPath: request.outputPath }, request.signal);
      return { format: 'png' };
    },
  };
}

function installedFontFamilies(): string[] {
  try {
    return installedFamilies().map((f) => f.family);
  } catch (error) {
    throw new ConfigurationError(`slides: ${(error as Error).message}`, { cause: error });
  }
}

function resolveTheme(theme: SlideThemeName | SlideTheme): SlideTheme {
  if (typeof theme === 'string') {
    const named = SLIDE_THEMES[theme];
    if (!named) throw new ConfigurationError(`unknown slides theme "${theme}"; use one of ${Object.keys(SLIDE_THEMES).join(', ')}`);
    return named;
  }
  for (const key of ['background', 'backgroundEnd', 'text', 'accent'] as const) {
    if (!isHexColor(theme[key] ?? '')) throw new ConfigurationError(`slides theme.${key} must be a #rrggbb colour`);
  }
  for (const stop of [theme.background, theme.backgroundEnd]) {
    const ratio = contrastRatio(theme.text, stop);
    if (ratio < MIN_CONTRAST) {
      throw new ConfigurationError(`slides theme text contrast ${ratio.toFixed(2)}:1 on ${stop} is below ${MIN_CONTRAST}:1; pick darker or lighter colours`);
    }
  }
  return theme;
}
