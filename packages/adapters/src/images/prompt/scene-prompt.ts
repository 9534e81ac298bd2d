/**
 * Bump when the wording below changes: the image providers put it in their fingerprint, so
 * pictures drawn from the old prompt are not served from the artifact cache.
 */
export const PROMPT_VERSION = 1;

/** What a picture is drawn from: the scene, the video's title, and a style name. */
export interface PromptScene {
  text: string;
  title?: string;
  style?: string;
}

const NO_TEXT = 'Do not draw any text, letters, numbers, captions, signs or logos in the picture.';
const MAX_TITLE = 200;

/**
 * The prompt for one scene's picture: the scene's narration, the video's title and the requested
 * style, and a plea for no lettering (image models spell badly, and the captions carry the words).
 * The narration is cut at a word boundary so the whole prompt fits in `maxLength` characters.
 */
export function scenePrompt(scene: PromptScene, maxLength: number): string {
  const title = clip(clean(scene.title ?? ''), MAX_TITLE);
  // Style names are identifiers (`pixel-art`, `film_noir`): read them as words.
  const style = clean((scene.style ?? '').replace(/[-_+.]+/g, ' '));
  const head = [
    `An illustration for one scene of a narrated video${title ? ` titled "${title}"` : ''}.`,
    style ? `Style: ${style}.` : '',
    'What the narrator says in this scene: ',
  ]
    .filter(Boolean)
    .join('\n');
  const budget = maxLength - head.length - NO_TEXT.length - 1;
  return `${head}${clip(clean(scene.text), budget)}\n${NO_TEXT}`;
}

/** Text without control characters or runs of whitespace. */
function clean(text: string): string {
  return text.replace(/[\p{Cc}\s]+/gu, ' ').trim();
}

/** `text` within `max` characters, cut at a space when one is near, ended with an ellipsis. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1)).replace(/[\uD800-\uDBFF]$/, '');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
