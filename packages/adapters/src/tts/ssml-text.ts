/*
 * Text inside SSML, shared by the providers that send it (Azure, Google).
 */

/**
 * Characters XML 1.0 forbids (most C0 controls, U+FFFE/U+FFFF, lone surrogates). Each is one
 * UTF-16 unit, so replacing it with one space keeps every other character at its offset, and a
 * voice reads a space as a pause at most.
 */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** `text` with the characters XML cannot carry turned into spaces: what the voice is asked to speak. */
export function speakableText(text: string): string {
  return text.replace(NOT_XML, ' ');
}

/** `text` safe inside an XML element or a quoted attribute. */
export function escapeXml(text: string): string {
  return speakableText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
