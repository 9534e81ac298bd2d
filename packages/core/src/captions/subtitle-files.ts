import type { Cue } from './cues.js';

/** SubRip (.srt) text of the cues: numbered blocks, `HH:MM:SS,mmm` times, CRLF-free. */
export function toSrt(cues: readonly Cue[]): string {
  return cues.map((cue, i) => `${i + 1}\n${clock(cue.startSeconds, ',')} --> ${clock(cue.endSeconds, ',')}\n${cue.lines.map(plain).join('\n')}\n`).join('\n');
}

/** WebVTT (.vtt) text of the same cues, as a `<track>` element loads it. */
export function toVtt(cues: readonly Cue[]): string {
  const blocks = cues.map((cue, i) => `${i + 1}\n${clock(cue.startSeconds, '.')} --> ${clock(cue.endSeconds, '.')}\n${cue.lines.map(vttText).join('\n')}\n`);
  return `WEBVTT\n\n${blocks.join('\n')}`;
}

function clock(seconds: number, separator: string): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

/** A cue line cannot hold a blank line (it would end the block) or `-->`. */
function plain(line: string): string {
  return line.replace(/\s*\n\s*/g, ' ').replace(/-->/g, '→');
}

/** WebVTT cue text is markup: `<` and `&` must be escaped. */
function vttText(line: string): string {
  return plain(line).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
