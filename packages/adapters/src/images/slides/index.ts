export { createSlides, type SlidesOptions } from './slides.js';
export { SLIDE_THEMES, contrastRatio, type SlideTheme, type SlideThemeName } from './themes.js';
export { buildCardSvg, escapeXml } from './svg-card.js';
