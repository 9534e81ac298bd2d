import { ValidationError } from '@scriptsensei/core';

/** The 29 languages of Multilingual v2 (ISO 639-1, `fil` for Filipino). */
const MULTILINGUAL_V2 = ['en', 'ja', 'zh', 'de', 'hi', 'fr', 'ko', 'pt', 'it', 'es', 'id', 'nl', 'tr', 'fil', 'pl', 'sv', 'bg', 'ro', 'ar', 'cs', 'el', 'fi', 'hr', 'ms', 'sk', 'da', 'ta', 'uk', 'ru'];
/** Turbo and Flash v2.5 add Hungarian, Norwegian and Vietnamese. */
const V2_5 = [...MULTILINGUAL_V2, 'hu', 'no', 'vi'];

/** The languages of the models whose list is known; any other model is trusted with any language. */
const MODEL_LANGUAGES: Record<string, readonly string[]> = {
  eleven_multilingual_v2: MULTILINGUAL_V2,
  eleven_turbo_v2_5: V2_5,
  eleven_flash_v2_5: V2_5,
  eleven_turbo_v2: ['en'],
  eleven_flash_v2: ['en'],
  eleven_monolingual_v1: ['en'],
};

/**
 * Models that take `language_code` to enforce the language; Multilingual v2 works it out from
 * the text, and older API versions refuse the field for it.
 */
const ENFORCES_LANGUAGE = new Set(['eleven_turbo_v2_5', 'eleven_flash_v2_5']);

/** BCP-47 primary subtags ElevenLabs spells otherwise. */
const ALIASES: Record<string, string> = { tl: 'fil', nb: 'no', nn: 'no' };

/** The languages `model` speaks, or undefined when this table does not know the model. */
export function modelLanguages(model: string): readonly string[] | undefined {
  return MODEL_LANGUAGES[model];
}

/**
 * The `language_code` to send for a BCP-47 tag (`pt-BR` → `pt`), or undefined when the model
 * takes none. Throws a `ValidationError` on `language` when the model does not speak it.
 */
export function languageCode(model: string, language: string): string | undefined {
  const primary = language.split(/[-_]/)[0]!.toLowerCase();
  const code = ALIASES[primary] ?? primary;
  const known = MODEL_LANGUAGES[model];
  if (known && !known.includes(code)) {
    throw new ValidationError([{ field: 'language', message: `ElevenLabs ${model} does not speak "${language}"; it speaks ${known.join(', ')}` }]);
  }
  return ENFORCES_LANGUAGE.has(model) ? code : undefined;
}
