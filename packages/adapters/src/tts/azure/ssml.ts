import { escapeXml } from '../ssml-text.js';

/** The SSML document Azure speaks: `text` read by `voice`, in `language`. */
export function buildSsml(text: string, language: string, voice: string): string {
  return (
    `<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='${escapeXml(language)}'>` +
    `<voice name='${escapeXml(voice)}'>${escapeXml(text)}</voice></speak>`
  );
}
