import { ValidationError, type VoiceInfo } from '@scriptsensei/core';

/** One voice of `GET /v1/voices` (the fields used here). */
export interface GoogleVoice {
  /** What `voice.name` takes, e.g. `en-US-Neural2-C`. */
  name: string;
  /** BCP-47 tags, e.g. `['en-US']`; Google writes Mandarin `cmn-CN`, Cantonese `yue-HK`. */
  languageCodes: string[];
  /** `MALE`, `FEMALE` or `NEUTRAL`. */
  ssmlGender?: string;
}

/** The voice families picked for a language, best first: all three honour SSML marks. */
const PREFERRED_TYPES = ['Neural2', 'Wavenet', 'Standard'];
/** BCP-47 primary subtags Google spells otherwise. */
const ALIASES: Record<string, string[]> = { zh: ['cmn', 'yue'], no: ['nb'], nn: ['nb'], tl: ['fil'] };

/** The voices in a `voices` answer; entries without a name or a language are left out. */
export function parseVoices(answer: { voices?: unknown } | undefined): GoogleVoice[] {
  const voices = Array.isArray(answer?.voices) ? (answer.voices as Partial<GoogleVoice>[]) : [];
  return voices.filter((v): v is GoogleVoice => typeof v?.name === 'string' && Array.isArray(v.languageCodes) && v.languageCodes.length > 0);
}

export function toVoiceInfo(voice: GoogleVoice): VoiceInfo {
  return { id: voice.name, name: voice.ssmlGender ? `${voice.name} (${voice.ssmlGender.toLowerCase()})` : voice.name, languages: [...voice.languageCodes] };
}

/** The language a voice name starts with (`en-US-Neural2-C` → `en-US`), as `voice.languageCode` wants. */
export function voiceLanguage(name: string): string | undefined {
  return /^([a-z]{2,3}-[A-Za-z]{2,4})-/.exec(name)?.[1];
}

/**
 * The voice a request gets: `named` when set (case-insensitive), else the best for `language`.
 * Throws a `ValidationError` on `voice` or `language` naming some that exist.
 */
export function chooseVoice(voices: readonly GoogleVoice[], language: string, named: string | undefined): GoogleVoice {
  if (named) {
    const found = voices.find((v) => v.name.toLowerCase() === named.toLowerCase());
    if (found) return found;
    throw new ValidationError([{ field: 'voice', message: `Google has no voice "${named}"; it has ${sampleVoices(voices, language)}` }]);
  }
  const found = voiceForLanguage(voices, language);
  if (found) return found;
  throw new ValidationError([{ field: 'language', message: `Google has no voice for "${language}"; it speaks ${sampleLanguages(voices)}` }]);
}

/**
 * The voice for a BCP-47 tag: among the voices of that exact locale, else of the language's
 * locale with the most voices (`en` → en-US, `fr` → fr-FR), the best family (Neural2, Wavenet,
 * Standard, then others), then the first by name.
 */
export function voiceForLanguage(voices: readonly GoogleVoice[], language: string): GoogleVoice | undefined {
  const [primary = '', ...rest] = language.toLowerCase().split(/[-_]/);
  const primaries = [primary, ...(ALIASES[primary] ?? [])];
  const tags = primaries.map((p) => [p, ...rest].join('-'));
  const locale = (v: GoogleVoice) => v.languageCodes[0]!.toLowerCase();
  const exact = voices.filter((v) => v.languageCodes.some((c) => tags.includes(c.toLowerCase())));
  let pool = exact;
  if (!pool.length) {
    const related = voices.filter((v) => primaries.includes(locale(v).split('-')[0]!));
    const counts = new Map<string, number>();
    for (const v of related) counts.set(locale(v), (counts.get(locale(v)) ?? 0) + 1);
    const [top] = [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
    pool = related.filter((v) => locale(v) === top?.[0]);
  }
  const rank = (v: GoogleVoice) => {
    const index = PREFERRED_TYPES.findIndex((type) => v.name.includes(`-${type}-`));
    return index < 0 ? PREFERRED_TYPES.length : index;
  };
  return [...pool].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))[0];
}

/** A few voice names for an error message: those of `language` when there are any. */
function sampleVoices(voices: readonly GoogleVoice[], language: string): string {
  const primary = language.toLowerCase().split(/[-_]/)[0]!;
  const related = voices.filter((v) => v.languageCodes.some((c) => c.toLowerCase().split('-')[0] === primary));
  const names = (related.length ? related : voices).map((v) => v.name);
  return `${names.slice(0, 6).join(', ') || 'none'}${names.length > 6 ? `, … ${voices.length} voices in all` : ''}`;
}

/** The locales Google speaks, for an error message. */
function sampleLanguages(voices: readonly GoogleVoice[]): string {
  const locales = [...new Set(voices.flatMap((v) => v.languageCodes))].sort();
  return `${locales.slice(0, 30).join(', ') || 'nothing'}${locales.length > 30 ? `, … ${locales.length} in all` : ''}`;
}
