export { createPexelsImages, type PexelsImagesOptions, type PexelsMedia } from './pexels-images.js';
export { extractKeywords, searchQueries, type SearchScene } from './keywords.js';
