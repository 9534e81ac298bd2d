import type { Pipeline, VoiceInfo } from '@scriptsensei/core';
import { ScriptSenseiError } from '@scriptsensei/core';

/** How long `GET /providers` waits for one provider's voice list before reporting it unavailable. */
const VOICE_LIST_TIMEOUT_MS = 10_000;

/** One TTS provider as `GET /providers` reports it. */
export interface WireTTSProvider {
  id: string;
  /** Narrates requests that name no `voice_provider`. */
  default: boolean;
  /** Times each word itself (captions follow its timings). */
  word_timings: boolean;
  /** Its voices (filtered by `language` when asked), or `null` when it cannot list them. */
  voices: { id: string; name: string; languages: string[] }[] | null;
  /** Why the voices are missing, when the provider could not list them. */
  voices_error?: string;
}

/**
 * The configured providers and each TTS provider's voices, for `GET /providers`: a front end
 * offers the voices there are. `language` keeps the voices serving it (`de` matches `de-DE`).
 * A provider that fails to list (a vendor down, a bad key) is reported, never fails the answer.
 */
export async function providersReport(providers: Pipeline['providers'], language?: string) {
  const wanted = language?.replaceAll('_', '-').toLowerCase();
  const serves = (voice: VoiceInfo) => !wanted || voice.languages.some((l) => l.toLowerCase() === wanted || l.toLowerCase().startsWith(`${wanted}-`) || wanted.startsWith(`${l.toLowerCase()}-`));
  const tts = await Promise.all(
    providers.voices.map(async (provider): Promise<WireTTSProvider> => {
      const base = { id: provider.provider, default: provider === providers.tts, word_timings: Boolean(provider.wordTimings) };
      if (!provider.listVoices) return { ...base, voices: null, voices_error: 'this provider does not list its voices' };
      try {
        const voices = await withTimeout(provider.listVoices(), VOICE_LIST_TIMEOUT_MS);
        return { ...base, voices: voices.filter(serves).map(({ id, name, languages }) => ({ id, name, languages })) };
      } catch (error) {
        // Vendor errors are already free of keys (see vendor-http); anything else is summarised.
        return { ...base, voices: null, voices_error: ScriptSenseiError.is(error) ? error.message : 'the voice list could not be read' };
      }
    }),
  );
  return {
    tts,
    images: { id: providers.images.provider, specification_version: providers.images.specificationVersion },
    storage: { id: providers.storage.provider },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
