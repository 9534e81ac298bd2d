export { createEspeakTTS, type EspeakTTS, type EspeakTTSOptions } from './espeak-tts.js';
export type { EspeakEngine } from './engine.js';
