export { createElevenLabsTTS, type ElevenLabsTTSOptions, type ElevenLabsVoiceSettings } from './elevenlabs-tts.js';
