/** Output presets, keyed by the original API's `platform` field. */
export const PLATFORM_PRESETS = {
  youtube: { width: 1920, height: 1080 },
  tiktok: { width: 1080, height: 1920 },
  shorts: { width: 1080, height: 1920 },
  reels: { width: 1080, height: 1920 },
  instagram: { width: 1080, height: 1080 },
} as const satisfies Record<string, { width: number; height: number }>;

export type Platform = keyof typeof PLATFORM_PRESETS;

export const PLATFORMS = Object.keys(PLATFORM_PRESETS) as Platform[];

/** Frames per second of every rendered video. */
export const VIDEO_FPS = 30;
