import { CAPTION_DEFAULTS, MOTION_DEFAULTS, PREVIEW_DEFAULTS, type PipelineTuning } from '../defaults.js';
import { PLATFORM_PRESETS } from '../platforms.js';
import type { ResolvedRenderRequest } from '../request.js';
import type { CaptionLook } from '../captions/ass-script.js';
import type { CueShape } from '../captions/cues.js';
import type { KenBurnsMove } from '../media/scene-filters.js';

/** Captions after defaults: the cue shape, the look, and whether they are drawn into the picture. */
export interface CaptionSettings {
  shape: CueShape;
  look: CaptionLook;
  burnIn: boolean;
  wordHighlight: boolean;
}

/** Everything a render's options decide, with defaults applied, in one place. */
export interface RenderSettings {
  size: { width: number; height: number };
  x264Preset: string;
  crf: number;
  audioBitrate: string;
  captions?: CaptionSettings;
  kenBurns?: (sceneIndex: number) => KenBurnsMove | undefined;
  transition?: { kind: 'crossfade' | 'slide'; seconds: number };
}

/** `auto` Ken Burns cycles through these, so consecutive scenes move differently. */
const AUTO_MOVES: KenBurnsMove['direction'][] = ['in', 'right', 'out', 'left'];

export function renderSettings(request: ResolvedRenderRequest, tuning: PipelineTuning): RenderSettings {
  const full = PLATFORM_PRESETS[request.platform];
  const preview = request.quality === 'preview';
  // A preview keeps the platform's shape at a short side of 360 (even sizes, as H.264 wants).
  const scale = preview ? PREVIEW_DEFAULTS.shortSide / Math.min(full.width, full.height) : 1;
  const even = (n: number) => Math.max(2, Math.round((n * scale) / 2) * 2);
  const size = { width: even(full.width), height: even(full.height) };
  const settings: RenderSettings = {
    size,
    x264Preset: preview ? PREVIEW_DEFAULTS.x264Preset : tuning.x264Preset,
    crf: preview ? PREVIEW_DEFAULTS.crf : tuning.crf,
    audioBitrate: preview ? PREVIEW_DEFAULTS.audioBitrate : tuning.audioBitrate,
  };
  if (request.captions) {
    const options = request.captions === true ? {} : request.captions;
    const shape = full.width > full.height ? 'landscape' : full.width < full.height ? 'portrait' : 'square';
    const maxCharsPerLine = options.maxCharsPerLine ?? CAPTION_DEFAULTS.maxCharsPerLine[shape];
    const style = { ...CAPTION_DEFAULTS.style, ...options.style };
    settings.captions = {
      shape: { maxCharsPerLine, maxLines: options.maxLines ?? CAPTION_DEFAULTS.maxLines },
      look: { ...style, maxCharsPerLine },
      burnIn: options.burnIn ?? CAPTION_DEFAULTS.burnIn,
      wordHighlight: options.wordHighlight ?? CAPTION_DEFAULTS.wordHighlightPlatforms.includes(request.platform),
    };
  }
  const kenBurns = request.motion?.kenBurns;
  if (kenBurns) {
    const { direction = MOTION_DEFAULTS.kenBurnsDirection, amount = MOTION_DEFAULTS.kenBurnsAmount } = kenBurns === true ? {} : kenBurns;
    settings.kenBurns = (i) => ({ direction: direction === 'auto' ? AUTO_MOVES[i % AUTO_MOVES.length]! : direction, amount });
  }
  const transition = request.motion?.transition;
  if (transition && transition !== 'none') {
    settings.transition = { kind: transition, seconds: request.motion?.transitionSeconds ?? MOTION_DEFAULTS.transitionSeconds };
  }
  return settings;
}
