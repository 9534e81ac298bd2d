export { createStabilityImages, type StabilityImagesOptions, type StabilityModel } from './stability-images.js';
export { STABILITY_STYLE_PRESETS, type StabilityStylePreset } from './stability-presets.js';
