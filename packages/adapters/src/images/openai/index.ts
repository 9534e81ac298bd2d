export { createOpenAIImages, type OpenAIImagesOptions, type OpenAIImageQuality } from './openai-images.js';
