import { resolveBinaries } from '@scriptsensei/core';
import { bandLevelDb } from '@scriptsensei/core/testing';

/**
 * The levels (dB) of a rendered video's audio over `span`: in a band around the tone a fake
 * vendor speaks (`hz`), and in a band far above it. A video narrated by the fake has the first
 * well above the second; espeak's voice would not.
 */
export async function toneLevels(video: string, span: { fromSeconds: number; toSeconds: number }, hz = 440): Promise<{ tone: number; elsewhere: number }> {
  const { ffmpeg } = resolveBinaries();
  const [tone, elsewhere] = await Promise.all([
    bandLevelDb(ffmpeg, video, { lowHz: hz - 40, highHz: hz + 40, ...span }),
    bandLevelDb(ffmpeg, video, { lowHz: 1500, highHz: 3000, ...span }),
  ]);
  return { tone, elsewhere };
}
