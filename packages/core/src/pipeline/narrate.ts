import { join } from 'node:path';
import { ProviderError } from '../errors.js';
import { callProvider } from './call-provider.js';
import { probeDurationSeconds, wavDurationSeconds } from '../media/audio-duration.js';
import { speechSpan } from '../media/speech-span.js';
import type { AudioPart } from '../media/compose.js';
import { captionWords, cueOf, cuesFromWords, estimateWordTimings, joinWords, phrases, type Cue } from '../captions/cues.js';
import type { ResolvedRenderRequest } from '../request.js';
import type { TTSProvider, TTSResult } from '../specs/tts-provider.js';
import type { RenderSettings } from './render-settings.js';

/** A scene's narration: its audio files in order, its length, and its captions on its own clock. */
export interface SpokenScene {
  parts: AudioPart[];
  seconds: number;
  cues: Cue[];
}

/**
 * Narrates one scene. Without captions, or with a provider that times its words, the scene is
 * one synthesis. Otherwise each caption phrase is synthesized on its own and the phrases play
 * back to back: each cue then starts where its phrase's speech starts in the audio (measured,
 * not guessed), and words within it are spread by length for the highlight.
 */
export async function narrate(
  text: string,
  request: ResolvedRenderRequest,
  settings: RenderSettings,
  tts: TTSProvider,
  providerName: string,
  ffprobe: string,
  pathBase: string,
  signal: AbortSignal,
): Promise<SpokenScene> {
  const captions = settings.captions;
  const speak = async (phrase: string, path: string) => {
    const result: TTSResult = await callProvider(providerName, signal, () =>
      tts.synthesize({ text: phrase, language: request.language, voice: request.voice, outputPath: path, signal }),
    );
    const seconds = result.durationSeconds ?? (await wavDurationSeconds(path)) ?? (await probeDurationSeconds(ffprobe, path));
    if (!Number.isFinite(seconds) || seconds < 0) throw new ProviderError(providerName, `returned audio of invalid duration ${seconds}`);
    return { result, seconds };
  };

  if (!captions || tts.wordTimings) {
    const path = `${pathBase}.audio`;
    const { result, seconds } = await speak(text, path);
    const timed = result.wordTimings?.filter((w) => w.word.trim());
    const cues = captions && timed?.length ? cuesFromWords(timed, captions.shape) : captions ? await wholeSceneCue(text, path, seconds, captions.shape) : [];
    return { parts: [{ path, seconds }], seconds, cues };
  }

  const groups = phrases(captionWords(text), captions.shape);
  const parts: AudioPart[] = [];
  const cues: Cue[] = [];
  let offset = 0;
  // In order: each phrase's place depends on the length of those before it.
  for (const [p, group] of groups.entries()) {
    const path = join(`${pathBase}-phrase-${String(p).padStart(3, '0')}.audio`);
    const { seconds } = await speak(joinWords(group), path);
    const span = (await speechSpan(path)) ?? { startSeconds: 0, endSeconds: seconds };
    cues.push(cueOf(estimateWordTimings(group, offset + span.startSeconds, offset + span.endSeconds), captions.shape));
    parts.push({ path, seconds });
    offset += seconds;
  }
  return { parts, seconds: offset, cues };
}

/** One cue over the speech of a provider that gave no timings for a one-phrase scene. */
async function wholeSceneCue(text: string, path: string, seconds: number, shape: { maxCharsPerLine: number; maxLines: number }): Promise<Cue[]> {
  const span = (await speechSpan(path)) ?? { startSeconds: 0, endSeconds: seconds };
  return [cueOf(estimateWordTimings(captionWords(text), span.startSeconds, span.endSeconds), shape)];
}
