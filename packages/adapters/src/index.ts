export * from './tts/espeak/index.js';
export * from './images/slides/index.js';
export * from './storage/local/index.js';
