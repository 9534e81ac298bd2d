export { createOpenAITTS, type OpenAITTSOptions } from './openai-tts.js';
