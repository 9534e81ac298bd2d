export { PROMPT_VERSION, scenePrompt, type PromptScene } from './scene-prompt.js';
export { nearestShape } from './nearest-shape.js';
