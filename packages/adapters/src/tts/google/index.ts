export { createGoogleTTS, type GoogleTTSOptions } from './google-tts.js';
