import type { Cue } from './cues.js';
import { joinWords, wrapWords } from './cues.js';

/** Caption look after defaults, as the burn-in needs it. */
export interface CaptionLook {
  font: string;
  /** Text height, % of the video's shorter side. */
  size: number;
  color: string;
  highlightColor: string;
  outlineColor: string;
  /** Outline in pixels at 1080p. */
  outline: number;
  background: boolean;
  position: 'bottom' | 'middle' | 'top';
  maxCharsPerLine: number;
}

/** One caption event on a clip's own clock: what is shown, and which word is lit. */
export interface CaptionEvent {
  startSeconds: number;
  endSeconds: number;
  cue: Cue;
  /** Index into `cue.words` of the highlighted word, when word highlight is on. */
  highlight?: number;
}

/** Splits text into runs, each drawn by one font family (libass does not fall back across fonts we hand it). */
export type FontRunner = (text: string) => { text: string; family: string; /** Glyph scale, 1 = as the style sizes it. */ scale?: number }[];

const ALIGNMENT = { bottom: 2, middle: 5, top: 8 } as const;

/**
 * An Advanced SubStation script that libass draws over a `width`×`height` picture. Lines are
 * broken by us (WrapStyle 2) so the picture matches the sidecars' lines.
 */
export function assScript(events: readonly CaptionEvent[], look: CaptionLook, size: { width: number; height: number }, runs: FontRunner): string {
  const short = Math.min(size.width, size.height);
  const fontSize = Math.round((look.size / 100) * short);
  const outline = ((look.outline * short) / 1080).toFixed(1);
  const margin = Math.round(short * 0.06);
  // BorderStyle 3 draws an opaque box (BackColour) behind the text; 1 draws an outline.
  const borderStyle = look.background ? 3 : 1;
  const style = [
    'Default', look.font, fontSize, assColor(look.color), assColor(look.color), assColor(look.outlineColor), assColor('#000000', 0x60),
    -1, 0, 0, 0, 100, 100, 0, 0, borderStyle, look.background ? Math.max(4, Math.round(fontSize / 6)) : outline, 0, ALIGNMENT[look.position],
    margin, margin, Math.round(short * 0.08), 1,
  ].join(',');
  const dialogue = events.map(
    (e) => `Dialogue: 0,${assTime(e.startSeconds)},${assTime(e.endSeconds)},Default,,0,0,0,,${eventText(e, look, runs)}`,
  );
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${size.width}`,
    `PlayResY: ${size.height}`,
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: ${style}`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...dialogue,
    '',
  ].join('\n');
}

/** The event's lines, each word in its font runs, the highlighted word in the highlight colour. */
function eventText(event: CaptionEvent, look: CaptionLook, runs: FontRunner): string {
  const lines = wrapWords(
    event.cue.words.map((w) => w.word),
    look.maxCharsPerLine,
  );
  let first = 0;
  return lines
    .map((line) => {
      const offset = first;
      first += line.length;
      return joinWords(line, (word, i) =>
        offset + i === event.highlight ? `{\\c${assColor(look.highlightColor)}}${styled(word, runs)}{\\c${assColor(look.color)}}` : styled(word, runs),
      );
    })
    .join('\\N');
}

function styled(text: string, runs: FontRunner): string {
  return runs(text)
    .map((run) => {
      // Every run sets its scale, so a scaled run never leaks into the next one.
      const percent = Math.round((run.scale ?? 1) * 100);
      return `{\\fn${run.family}\\fscx${percent}\\fscy${percent}}${escapeAss(run.text)}`;
    })
    .join('');
}

/** Override blocks start with `{` and escapes with `\`: neither may reach libass from a script. */
export function escapeAss(text: string): string {
  return text.replace(/\\/g, '\u29f5').replace(/\{/g, '\uff5b').replace(/\}/g, '\uff5d').replace(/[\r\n]+/g, ' ');
}

/** `#rrggbb` as ASS's `&HAABBGGRR` (alpha 0 is opaque). */
export function assColor(hex: string, alpha = 0): string {
  const h = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
  return `&H${h(alpha)}${hex.slice(5, 7)}${hex.slice(3, 5)}${hex.slice(1, 3)}`.toUpperCase();
}

function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  return `${Math.floor(cs / 360_000)}:${String(Math.floor(cs / 6000) % 60).padStart(2, '0')}:${String(Math.floor(cs / 100) % 60).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

/**
 * The caption events of a cue list on a clip's clock: one per cue, or one per word when words
 * are highlighted (each lit from its start to the next word's start). Gaps between cues show
 * nothing.
 */
export function captionEvents(cues: readonly Cue[], wordHighlight: boolean): CaptionEvent[] {
  const events: CaptionEvent[] = [];
  for (const cue of cues) {
    if (!wordHighlight || cue.words.length < 2) {
      events.push({ startSeconds: cue.startSeconds, endSeconds: cue.endSeconds, cue });
      continue;
    }
    cue.words.forEach((word, i) => {
      const end = i + 1 < cue.words.length ? cue.words[i + 1]!.startSeconds : cue.endSeconds;
      events.push({ startSeconds: i === 0 ? cue.startSeconds : word.startSeconds, endSeconds: end, cue, highlight: i });
    });
  }
  return events;
}
