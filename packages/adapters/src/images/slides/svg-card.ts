import type { ImageRequest } from '@scriptsensei/core';
import { fitText } from './text-layout.js';
import type { SlideTheme } from './themes.js';

/** What one card shows: the image request's text and layout fields, and the text's language. */
export interface CardContent extends Pick<ImageRequest, 'text' | 'title' | 'sceneIndex' | 'sceneCount' | 'width' | 'height'> {
  language: string | undefined;
}

const FONT = 'DejaVu Sans';

/** Bump when a change to the card layout changes rendered pixels, so cached cards are redrawn. */
export const CARD_LAYOUT_VERSION = 1;
const LINE_HEIGHT = 1.3;

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

/** Builds the SVG of one scene card: title, wrapped scene text, progress bar and scene marker. */
export function buildCardSvg(content: CardContent, theme: SlideTheme): string {
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

  const textLines = lines
    .map((line, i) => `<tspan x="${w / 2}" y="${(top + i * fontSize * LINE_HEIGHT).toFixed(1)}">${escapeXml(line)}</tspan>`)
    .join('');
  const title = content.title
    ? `<text x="${margin}" y="${margin + titleSize}" font-size="${titleSize}" font-weight="bold" fill="${theme.accent}">${escapeXml(
        truncate(content.title, Math.floor((w - 2 * margin) / (titleSize * 0.62))),
      )}</text>`
    : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"${langAttr}>`,
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${theme.background}"/><stop offset="1" stop-color="${theme.backgroundEnd}"/></linearGradient></defs>`,
    `<rect width="${w}" height="${h}" fill="url(#bg)"/>`,
    `<rect x="0" y="${h - unit}" width="${(w * done).toFixed(1)}" height="${unit}" fill="${theme.accent}"/>`,
    `<g font-family="${FONT}">`,
    title,
    `<text text-anchor="middle" font-size="${fontSize}" fill="${theme.text}">${textLines}</text>`,
    `<text x="${w - margin}" y="${h - margin / 2}" text-anchor="end" font-size="${Math.round(2.8 * unit)}" fill="${theme.accent}">${
      content.sceneIndex + 1
    } / ${content.sceneCount}</text>`,
    '</g></svg>',
  ].join('');
}

function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(1, maxChars - 1)).join('')}…`;
}
