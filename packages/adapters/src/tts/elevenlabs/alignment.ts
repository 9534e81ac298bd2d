import type { WordTiming } from '@scriptsensei/core';
import { captionWords } from '@scriptsensei/core';

/** ElevenLabs' timing of each character it spoke. */
export interface CharacterAlignment {
  characters: string[];
  character_start_times_seconds: number[];
  character_end_times_seconds: number[];
}

/**
 * Word timings from a character alignment. The words are the pipeline's own caption words
 * (`captionWords`: space-separated, single graphemes for Chinese, Japanese or Thai), so captions
 * cut from them read like the script; each word runs from its first character's start to its
 * last character's end. Undefined when the alignment is missing or malformed.
 */
export function wordTimings(alignment: CharacterAlignment | null | undefined): WordTiming[] | undefined {
  const { characters, character_start_times_seconds: starts, character_end_times_seconds: ends } = alignment ?? {};
  if (!characters?.length || starts?.length !== characters.length || ends?.length !== characters.length) return undefined;
  // Caption words hold every non-space UTF-16 unit of the text, in order: map each to its character.
  const owner: number[] = [];
  characters.forEach((character, index) => {
    for (const unit of character.split('')) if (!/\s/.test(unit)) owner.push(index);
  });
  let at = 0;
  return captionWords(characters.join('')).map((word) => {
    const first = owner[at]!;
    at += word.length;
    const last = owner[at - 1]!;
    return { word, startSeconds: starts[first]!, endSeconds: Math.max(starts[first]!, ends[last]!) };
  });
}
