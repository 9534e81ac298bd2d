/**
 * Characters XML 1.0 forbids (most C0 controls, U+FFFE/U+FFFF, lone surrogates). Each is one
 * UTF-16 unit, so replacing it with one space keeps every other character at its offset.
 */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `text` with the characters XML cannot carry turned into spaces: what Azure is asked to speak. */
export function speakableText(text: string): string {
  return text.replace(NOT_XML, ' ');
}

/** `text` safe inside an XML element or a quoted attribute. */
export function escapeXml(text: string): string {
  return speakableText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The SSML document Azure speaks: `text` read by `voice`, in `language`. */
export function buildSsml(text: string, language: string, voice: string): string {
  return (
    `<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='${escapeXml(language)}'>` +
    `<voice name='${escapeXml(voice)}'>${escapeXml(text)}</voice></speak>`
  );
}
