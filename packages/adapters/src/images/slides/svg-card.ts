import type { ImageRequest } from '@scriptsensei/core';
import { BASE_FONT_FAMILY, textDirection, type FontFamily } from '@scriptsensei/fonts';
import { cardFonts, fontFamilyList, leadFamily, lineFontFamily, type CardFonts } from './card-fonts.js';
import { fitText, truncateText } from './text-layout.js';
import type { SlideTheme } from './themes.js';

/** What one card shows: the image request's text and layout fields, and the text's language. */
export interface CardContent extends Pick<ImageRequest, 'text' | 'title' | 'sceneIndex' | 'sceneCount' | 'width' | 'height'> {
  language: string | undefined;
}

/** Bump when a change to the card layout changes rendered pixels, so cached cards are redrawn. */
export const CARD_LAYOUT_VERSION = 2;
const LINE_HEIGHT = 1.3;
/** Bold glyphs run about a tenth wider than the regular ones the width estimates are for. */
const BOLD_WIDTH = 1.1;
/**
 * RIGHT-TO-LEFT ISOLATE … POP DIRECTIONAL ISOLATE. resvg 2.6 ignores `direction` and starts every
 * line left to right, so an Arabic or Hebrew line opening with a Latin word would read in the
 * wrong order; inside an isolate the line's own direction is right to left. Both are invisible.
 */
const RLI = '\u2067';
const PDI = '\u2069';
/**
 * Thai SARA AM (ำ) with the tone mark before it. Shapers split it into NIKHAHIT and SARA AA, and
 * resvg 2.6 mis-measures the split cluster: SARA AA overlaps the next letter and a following
 * space disappears. Written already split, NIKHAHIT before the tone mark as shapers place it, it
 * draws the same glyphs in the right places.
 */
const SARA_AM = /([\u0E48-\u0E4B]?)\u0E33/g;

/**
 * Escapes text for SVG character data and attribute values, and drops code points XML 1.0
 * cannot carry (controls, lone surrogates, U+FFFE/U+FFFF), so no input can end an element,
 * open a new one or make the document invalid.
 */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/**
 * Builds the SVG of one scene card: title, wrapped scene text, progress bar and scene marker.
 * Each line names the font families that draw it (see `leadFamily`); right-to-left text is
 * laid out right to left, and a right-to-left title is right-aligned.
 */
export function buildCardSvg(content: CardContent, theme: SlideTheme, fonts: CardFonts = cardFonts(content.text, content.title)): string {
  const { width: w, height: h } = content;
  const unit = Math.min(w, h) / 100;
  const margin = Math.round(8 * unit);
  const titleSize = Math.round(4.2 * unit);
  const titleBlock = content.title ? titleSize * 2.2 : 0;
  const box = { width: w - 2 * margin, height: h - 2 * margin - titleBlock - 6 * unit };
  const { lines, fontSize } = fitText(content.text, box, Math.round(7.5 * unit), Math.round(2.6 * unit), LINE_HEIGHT);
  const blockHeight = lines.length * fontSize * LINE_HEIGHT;
  const top = margin + titleBlock + (box.height - blockHeight) / 2 + fontSize;
  const langAttr = content.language ? ` xml:lang="${escapeXml(content.language)}"` : '';
  const done = (content.sceneIndex + 1) / Math.max(1, content.sceneCount);
  const direction = textDirection(content.text);

  const textLead = leadFamily(content.text, fonts.text);
  const textLines = lines
    .map((line, i) => `<tspan x="${w / 2}" y="${(top + i * fontSize * LINE_HEIGHT).toFixed(1)}">${lineSpan(line, direction, fonts.text, textLead)}</tspan>`)
    .join('');
  let title = '';
  if (content.title) {
    const titleDirection = textDirection(content.title);
    const text = truncateText(content.title, (w - 2 * margin) / titleSize / BOLD_WIDTH);
    // resvg anchors `end` at the right whatever the direction (it ignores `direction`).
    const anchor = titleDirection === 'rtl' ? `x="${w - margin}" text-anchor="end"` : `x="${margin}"`;
    title = `<text ${anchor} y="${margin + titleSize}" font-size="${titleSize}" font-weight="bold" fill="${theme.accent}">${lineSpan(text, titleDirection, fonts.title, leadFamily(text, fonts.title))}</text>`;
  }
  const allFamilies = [...new Set([...fonts.text, ...fonts.title].map((f) => f.family))];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"${langAttr}>`,
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${theme.background}"/><stop offset="1" stop-color="${theme.backgroundEnd}"/></linearGradient></defs>`,
    `<rect width="${w}" height="${h}" fill="url(#bg)"/>`,
    `<rect x="0" y="${h - unit}" width="${(w * done).toFixed(1)}" height="${unit}" fill="${theme.accent}"/>`,
    `<g font-family="${escapeXml(fontFamilyList(allFamilies))}">`,
    title,
    `<text text-anchor="middle" font-size="${fontSize}" fill="${theme.text}">${textLines}</text>`,
    `<text x="${w - margin}" y="${h - margin / 2}" text-anchor="end" font-family="${escapeXml(fontFamilyList([BASE_FONT_FAMILY]))}" font-size="${Math.round(
      2.8 * unit,
    )}" fill="${theme.accent}">${content.sceneIndex + 1} / ${content.sceneCount}</text>`,
    '</g></svg>',
  ].join('');
}

function lineSpan(line: string, direction: 'ltr' | 'rtl', families: readonly FontFamily[], lead: FontFamily): string {
  const text = escapeXml(line.replace(SARA_AM, '\u0E4D$1\u0E32'));
  return `<tspan font-family="${escapeXml(lineFontFamily(line, families, lead))}">${direction === 'rtl' ? `${RLI}${text}${PDI}` : text}</tspan>`;
}
