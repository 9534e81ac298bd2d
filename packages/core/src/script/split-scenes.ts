/** One unit of narration: spoken as one audio clip and shown with one image. */
export interface Scene {
  /** 0-based position in the video. */
  index: number;
  /** The text spoken in this scene. */
  text: string;
  /** 0-based index of the script paragraph the scene comes from. */
  paragraph: number;
}

export interface SplitOptions {
  /** BCP-47 tag used for sentence and word boundaries. */
  language: string;
  /** Scenes are packed up to this many characters. */
  maxSceneCharacters: number;
}

// Clause boundaries: Latin punctuation followed by a space, CJK punctuation, or a dash.
const CLAUSE_BREAK = /(?<=[,;:\u2014\u2013])\s+|(?<=[\uFF0C\uFF1B\uFF1A\u3001])|\s+(?=[\u2014\u2013]\s)/u;
// A scene needs something to say: a letter, a digit, or a pictograph a voice can name.
const SPEAKABLE = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;

/**
 * Splits a script into scenes: paragraphs first (blank lines), then sentences packed greedily up
 * to `maxSceneCharacters`. A sentence longer than that is split at clause boundaries, then at
 * word boundaries, and a single overlong word at grapheme boundaries (never inside an emoji or
 * a combining sequence). Scenes with nothing speakable are merged into their neighbour.
 */
export function splitScenes(script: string, options: SplitOptions): Scene[] {
  const max = Math.max(20, Math.floor(options.maxSceneCharacters));
  const locale = safeLocale(options.language);
  const scenes: Scene[] = [];
  const paragraphs = normalize(script).split(/\n[ \t]*\n+/);
  paragraphs.forEach((raw, paragraph) => {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (!text) return;
    const pieces = sentences(text, locale).flatMap((s) => (s.length > max ? splitLong(s, max, locale) : [s]));
    for (const chunk of pack(pieces, max)) {
      const last = scenes.at(-1);
      if (!SPEAKABLE.test(chunk) && last) {
        last.text = `${last.text} ${chunk}`;
        continue;
      }
      scenes.push({ index: scenes.length, text: chunk, paragraph });
    }
  });
  return mergeLeadingUnspeakable(scenes);
}

function normalize(script: string): string {
  return (
    script
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // Control characters other than newline and tab carry nothing speakable and upset TTS engines.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ')
  );
}

function safeLocale(language: string): string {
  try {
    return Intl.Segmenter.supportedLocalesOf([language])[0] ?? 'en';
  } catch {
    return 'en';
  }
}

function sentences(text: string, locale: string): string[] {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
  return [...segmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

/** Greedy packing of pieces into chunks of at most `max` characters (joined by a space). */
function pack(pieces: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (!current) current = piece;
    else if (current.length + 1 + piece.length <= max) current = `${current} ${piece}`;
    else {
      chunks.push(current);
      current = piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function splitLong(sentence: string, max: number, locale: string): string[] {
  const clauses = sentence
    .split(CLAUSE_BREAK)
    .map((c) => c.trim())
    .filter(Boolean)
    .flatMap((clause) => (clause.length > max ? splitWords(clause, max, locale) : [clause]));
  return pack(clauses, max);
}

function splitWords(clause: string, max: number, locale: string): string[] {
  const words = clause.split(/\s+/).filter(Boolean);
  const pieces = words.flatMap((word) => (word.length > max ? splitGraphemes(word, max, locale) : [word]));
  return pack(pieces, max);
}

function splitGraphemes(word: string, max: number, locale: string): string[] {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'grapheme' });
  const chunks: string[] = [];
  let current = '';
  for (const { segment } of segmenter.segment(word)) {
    if (current.length + segment.length > max && current) {
      chunks.push(current);
      current = '';
    }
    current += segment;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** An unspeakable first scene has no previous neighbour: fold it into the next one. */
function mergeLeadingUnspeakable(scenes: Scene[]): Scene[] {
  const first = scenes[0];
  const second = scenes[1];
  if (first && second && !SPEAKABLE.test(first.text)) {
    second.text = `${first.text} ${second.text}`;
    scenes.shift();
    scenes.forEach((scene, index) => (scene.index = index));
  }
  return scenes;
}
