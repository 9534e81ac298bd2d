import { ValidationError, type VoiceInfo } from '@scriptsensei/core';

/** The voices every speech model has (`tts-1` and `tts-1-hd` have only these). */
const CLASSIC_VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'];
/** The voices of the GPT speech models (`gpt-4o-mini-tts` and later) besides those. */
const GPT_VOICES = ['ballad', 'cedar', 'marin', 'verse'];

/**
 * The languages OpenAI documents for speech (those of Whisper), as ISO 639-1 codes. The models
 * attempt any language; these are what `listVoices` reports, so a language filter finds them.
 */
const LANGUAGES = [
  'af', 'ar', 'az', 'be', 'bg', 'bs', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'en', 'es', 'et', 'fa', 'fi', 'fr', 'gl',
  'he', 'hi', 'hr', 'hu', 'hy', 'id', 'is', 'it', 'ja', 'kk', 'kn', 'ko', 'lt', 'lv', 'mi', 'mk', 'mr', 'ms', 'ne',
  'nl', 'no', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'sw', 'ta', 'th', 'tl', 'tr', 'uk', 'ur', 'vi', 'zh',
];

/** The voices `model` speaks with. */
export function modelVoices(model: string): string[] {
  return /^tts-1(-hd)?$/.test(model) ? CLASSIC_VOICES : [...CLASSIC_VOICES, ...GPT_VOICES].sort();
}

export function toVoiceInfo(voice: string): VoiceInfo {
  return { id: voice, name: voice[0]!.toUpperCase() + voice.slice(1), languages: [...LANGUAGES] };
}

/** The voice named (case-insensitive), or undefined when `voices` has none of that name. */
export function findVoice(voices: readonly string[], named: string): string | undefined {
  return voices.find((v) => v === named.toLowerCase());
}

/** The voice named, or a `ValidationError` on `voice` naming those of `model`. */
export function requireVoice(voices: readonly string[], named: string, model: string): string {
  const found = findVoice(voices, named);
  if (found) return found;
  throw new ValidationError([{ field: 'voice', message: `OpenAI ${model} has no voice "${named}"; it has ${voices.join(', ')}` }]);
}
