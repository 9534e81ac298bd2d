import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import type { ImageProvider, ImageRequest, ImageResult } from '@scriptsensei/core';
import { ConfigurationError, ProviderError, toCancelled } from '@scriptsensei/core';
import { buildCardSvg } from './svg-card.js';
import { MIN_CONTRAST, SLIDE_THEMES, contrastRatio, isHexColor, type SlideTheme, type SlideThemeName } from './themes.js';

export interface SlidesOptions {
  /**
   * Built-in theme, or custom colours. A request's `style` naming a built-in theme wins.
   * @defaultValue 'midnight'
   */
  theme?: SlideThemeName | SlideTheme;
  /**
   * Extra font files (TTF/OTF) for scripts DejaVu Sans lacks, e.g. a CJK or emoji font.
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
 * Scene cards rendered from SVG by resvg (on libuv's thread pool, off the event loop): the
 * title, the scene's text wrapped and sized to fit, a progress bar and a "3 / 7" marker.
 * Ships DejaVu Sans, so cards look the same on every machine.
 */
export function createSlides(options: SlidesOptions = {}): ImageProvider {
  const baseTheme = resolveTheme(options.theme ?? 'midnight');
  const fontFiles = [
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    ...(options.fontFiles ?? []),
  ];

  return {
    specificationVersion: 'v1',
    provider: 'slides',
    async generate(request: ImageRequest): Promise<ImageResult> {
      const theme = request.style && request.style in SLIDE_THEMES ? SLIDE_THEMES[request.style as SlideThemeName] : baseTheme;
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
      );
      if (request.signal?.aborted) throw toCancelled(request.signal.reason);
      let png: Buffer;
      try {
        const image = await renderAsync(svg, {
          font: { loadSystemFonts: options.loadSystemFonts ?? false, fontFiles, defaultFontFamily: 'DejaVu Sans' },
          fitTo: { mode: 'original' },
          logLevel: 'off',
        });
        png = image.asPng();
      } catch (error) {
        if (request.signal?.aborted) throw toCancelled(request.signal.reason);
        throw new ProviderError('slides', `could not render the card: ${(error as Error).message}`, { cause: error, retryable: false });
      }
      if (request.signal?.aborted) throw toCancelled(request.signal.reason);
      await writeFile(request.outputPath, png);
      return { format: 'png' };
    },
  };
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
