/** Stability's `style_preset` values. */
export const STABILITY_STYLE_PRESETS = [
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
] as const;

export type StabilityStylePreset = (typeof STABILITY_STYLE_PRESETS)[number];

export function isStylePreset(style: string | undefined): style is StabilityStylePreset {
  return (STABILITY_STYLE_PRESETS as readonly string[]).includes(style ?? '');
}

/** The `aspect_ratio` values the generate endpoints take, as shapes for `nearestShape`. */
export const STABILITY_ASPECT_RATIOS = ['16:9', '21:9', '3:2', '5:4', '1:1', '4:5', '2:3', '9:16', '9:21'].map((ratio) => {
  const [width, height] = ratio.split(':').map(Number) as [number, number];
  return { ratio, width, height };
});
