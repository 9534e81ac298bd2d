import { ProviderError, type VoiceInfo } from '@scriptsensei/core';
import { PROVIDER } from './provider-id.js';

/** One voice of Azure's `voices/list` answer (the fields used here). */
export interface AzureVoice {
  /** What SSML's `<voice name>` takes, e.g. `en-US-JennyNeural`. */
  ShortName: string;
  /** The long form SSML also takes: `Microsoft Server Speech Text to Speech Voice (en-US, JennyNeural)`. */
  Name?: string;
  /** The voice's name, e.g. `Jenny`. */
  DisplayName?: string;
  /** BCP-47 locale, e.g. `en-US`. */
  Locale: string;
  /** `Neural` for current voices; the older `Standard` ones sound worse. */
  VoiceType?: string;
  /** Further locales a multilingual voice speaks. */
  SecondaryLocaleList?: string[];
}

/** The voices in a `voices/list` answer; anything that is not a list of voices is a provider fault. */
export function parseVoiceList(value: unknown): AzureVoice[] {
  if (!Array.isArray(value)) throw new ProviderError(PROVIDER, 'voices/list did not answer with a list of voices');
  return value.filter((v): v is AzureVoice => typeof v?.ShortName === 'string' && typeof v?.Locale === 'string');
}

export function toVoiceInfo(voice: AzureVoice): VoiceInfo {
  return {
    id: voice.ShortName,
    name: voice.DisplayName ?? voice.ShortName,
    languages: [voice.Locale, ...(voice.SecondaryLocaleList ?? [])],
  };
}

/** The voice `name` designates, by short or long name, ignoring case. */
export function findVoice(voices: readonly AzureVoice[], name: string): AzureVoice | undefined {
  const wanted = name.toLowerCase();
  return voices.find((v) => v.ShortName.toLowerCase() === wanted || v.Name?.toLowerCase() === wanted);
}

/**
 * The voice for a BCP-47 tag: one of the exact locale, else of the same language (`fr-CA` →
 * `fr-FR` first, the locale named after the language, then any); Neural voices first.
 */
export function voiceForLanguage(voices: readonly AzureVoice[], language: string): AzureVoice | undefined {
  const tag = language.toLowerCase();
  const primary = tag.split('-')[0]!;
  const locale = (v: AzureVoice) => v.Locale.toLowerCase();
  const neuralFirst = (list: AzureVoice[]) => list.find((v) => v.VoiceType === 'Neural') ?? list[0];
  const exact = voices.filter((v) => locale(v) === tag);
  if (exact.length) return neuralFirst(exact);
  const related = voices.filter((v) => locale(v).split('-')[0] === primary);
  const home = related.filter((v) => locale(v) === `${primary}-${primary}`);
  return neuralFirst(home.length ? home : related);
}

/** A few voice names for an error message: those of `language` when there are any. */
export function sampleVoices(voices: readonly AzureVoice[], language: string): string {
  const primary = language.toLowerCase().split('-')[0];
  const related = voices.filter((v) => v.Locale.toLowerCase().split('-')[0] === primary);
  const names = (related.length ? related : voices).map((v) => v.ShortName);
  return `${names.slice(0, 6).join(', ')}${names.length > 6 ? `, … ${voices.length} voices in all` : ''}`;
}

/** The locales Azure speaks, for an error message. */
export function sampleLocales(voices: readonly AzureVoice[]): string {
  const locales = [...new Set(voices.map((v) => v.Locale))].sort();
  return `${locales.slice(0, 30).join(', ')}${locales.length > 30 ? `, … ${locales.length} in all` : ''}`;
}
