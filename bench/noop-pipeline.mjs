// A pipeline that renders nothing: the job engine's own work is all that a benchmark measures.
import { createPipeline } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';

const RESULT = { key: 'videos/none.mp4', url: 'file:///none', durationSeconds: 1, sizeBytes: 0, width: 1920, height: 1080, fps: 30, platform: 'youtube', language: 'en-US', quality: 'standard', scenes: [], timings: {}, artifacts: ['videos/none.mp4'] };

export function noopPipeline(storageDir = 'storage') {
  const real = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: storageDir }) });
  return { ...real, run: async () => RESULT };
}
