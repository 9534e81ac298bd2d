/** The API's limit on `input`, in characters. */
const MAX_INPUT_CHARACTERS = 4096;

/**
 * `text` cut into parts of at most `max` characters: whole sentences packed greedily, a longer
 * sentence at its last whitespace that fits, or (one huge word) at `max`, never between the
 * halves of a surrogate pair. Parts are trimmed; joined by spaces they read as the text.
 */
export function splitText(text: string, language: string, max = MAX_INPUT_CHARACTERS): string[] {
  const parts: string[] = [];
  let current = '';
  for (const { segment } of sentenceSegmenter(language).segment(text)) {
    for (const piece of cutLong(segment, max)) {
      if (current && (current + piece).trimEnd().length > max) {
        parts.push(current.trim());
        current = '';
      }
      current += piece;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts.filter(Boolean);
}

function sentenceSegmenter(language: string): Intl.Segmenter {
  try {
    return new Intl.Segmenter(language, { granularity: 'sentence' });
  } catch {
    // Not a valid BCP-47 tag: the default locale's sentence rules.
    return new Intl.Segmenter(undefined, { granularity: 'sentence' });
  }
}

function cutLong(sentence: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.trimEnd().length > max) {
    let cut = rest.slice(0, max + 1).search(/\s\S*$/);
    if (cut <= 0) cut = /[\uD800-\uDBFF]/.test(rest[max - 1]!) ? max - 1 : max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return [...pieces, rest];
}
