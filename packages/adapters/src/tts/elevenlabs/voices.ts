import type { VoiceInfo } from '@scriptsensei/core';
import { ValidationError } from '@scriptsensei/core';

/** One voice as `GET /v1/voices` describes it (the fields used here). */
export interface ElevenLabsVoice {
  voice_id: string;
  name?: string;
  labels?: Record<string, string | undefined>;
  verified_languages?: { language?: string; locale?: string }[];
}

/** Voice ids are 20 letters and digits; anything else is taken for a voice's name. */
export function isVoiceId(voice: string): boolean {
  return /^[A-Za-z0-9]{20}$/.test(voice);
}

/**
 * A voice as the seam lists it. With a multilingual model every voice speaks every language of
 * the model, so those are its languages; for a model of unknown languages, the voice's own.
 */
export function toVoiceInfo(voice: ElevenLabsVoice, modelLanguages: readonly string[] | undefined): VoiceInfo {
  const own = () => [...(voice.verified_languages ?? []).map((l) => l.locale ?? l.language), voice.labels?.language].filter((l): l is string => Boolean(l));
  return { id: voice.voice_id, name: voice.name ?? voice.voice_id, languages: modelLanguages ? [...modelLanguages] : [...new Set(own())] };
}

/** The voice named by id or by name (case-insensitive), or a `ValidationError` on `voice`. */
export function findVoice(voices: VoiceInfo[], named: string): VoiceInfo {
  const wanted = named.toLowerCase();
  const found = voices.find((v) => v.id === named) ?? voices.find((v) => v.name.toLowerCase() === wanted);
  if (found) return found;
  const sample = voices.slice(0, 8).map((v) => `${v.name} (${v.id})`);
  throw new ValidationError([
    { field: 'voice', message: `ElevenLabs has no voice "${named}" on this account; it has ${sample.join(', ') || 'none'}${voices.length > 8 ? `, … ${voices.length} in all` : ''}` },
  ]);
}
