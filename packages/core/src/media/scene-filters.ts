import type { Segment } from './segment-plan.js';

/** A slow zoom or pan across one scene. */
export interface KenBurnsMove {
  direction: 'in' | 'out' | 'left' | 'right' | 'up' | 'down';
  /** Fraction of the picture zoomed or panned across over the scene. */
  amount: number;
}

/** What the filter graph needs to draw a scene's frames. */
export interface ScenePicture {
  /** Input index of the scene's image in the ffmpeg command. */
  input: number;
  /** Frames in the whole scene (the Ken Burns move spans them). */
  frames: number;
  move?: KenBurnsMove;
  /**
   * The input is a video clip (looped by its input options): scene frame `f` shows the clip's
   * frame `f + clip.offset`, so the transition drawn before the scene's first frame starts the
   * clip at its beginning and the clip then plays on without a jump.
   */
  clip?: { offset: number };
  /** ASS file of the scene's captions on the scene's clock, relative to the work directory. */
  assPath?: string;
  /** Folder of the fonts the captions need, relative to the work directory. */
  fontsDir?: string;
}

export interface FrameSize {
  width: number;
  height: number;
  fps: number;
}

/**
 * Ken Burns runs at twice the output size: zoompan crops at whole input pixels, so at 2x the
 * crop moves in half-pixel steps of the output and the motion has no visible judder, while
 * costing far less than a sub-pixel (perspective) warp.
 */
const MOTION_OVERSAMPLE = 2;

/** Fits an image into the frame (letterboxed), as every chain starts. */
function fit(input: number, { width: w, height: h }: FrameSize, scale = 1): string {
  const W = w * scale;
  const H = h * scale;
  return `[${input}:v]scale=${W}:${H}:force_original_aspect_ratio=decrease,pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`;
}

/**
 * Fills the frame with a clip at the output rate: scaled to cover and cropped (stock clips come
 * in any shape; black bars around moving footage look broken), no matter its own size or rate.
 */
function cover(input: number, { width: w, height: h, fps }: FrameSize): string {
  return `[${input}:v]fps=${fps},scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,format=yuv420p`;
}

/**
 * zoompan expressions for frames `from`..`from+count` of a scene `total` frames long. `on` is
 * the output frame within this zoompan, so the move carries on seamlessly across the segments
 * (and transitions) a scene is cut into.
 *
 * zoompan crops at even input pixels (4:2:0 chroma), so a pan at an arbitrary speed would
 * alternate one- and two-step frames: a visible judder. Pans therefore move a whole, constant
 * number of output pixels every frame (the nearest to `amount` over the scene, at least one)
 * and the zoom is set so that exactly this distance is available. A scene too long to pan at
 * one pixel a frame within twice `amount` of zoom (it would crop the slide's edges) zooms in
 * instead. Zooms change size every frame, which hides the rounding.
 */
function zoompan(move: KenBurnsMove, from: number, count: number, total: number, size: FrameSize): string {
  const frames = Math.max(1, total - 1);
  const p = `((${from}+on)/${frames})`;
  const a = move.amount;
  const common = `d=${count}:s=${size.width}x${size.height}:fps=${size.fps}`;
  const zoomMove = (direction: 'in' | 'out') => {
    const zoom = direction === 'in' ? `1+${a}*${p}` : `1+${a}*(1-${p})`;
    return `zoompan=z='${zoom}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':${common}`;
  };
  if (move.direction === 'in' || move.direction === 'out') return zoomMove(move.direction);
  const horizontal = move.direction === 'left' || move.direction === 'right';
  const side = (horizontal ? size.width : size.height) * MOTION_OVERSAMPLE;
  // Even input pixels per frame (one output pixel at 2x), as many as `amount` asks for.
  const step = Math.max(2, 2 * Math.round((a * side) / frames / 2));
  const distance = step * frames;
  if (distance >= side * (1 - 1 / (1 + 2 * a))) return zoomMove('in');
  const zoom = (side / (side - distance)).toFixed(6);
  const forward = move.direction === 'right' || move.direction === 'down';
  // Clamped: a transition draws a few frames past either end of the scene.
  const at = forward ? `max(0,min(${distance},${step}*(${from}+on)))` : `max(0,min(${distance},${distance}-${step}*(${from}+on)))`;
  const x = horizontal ? at : 'iw/2-(iw/zoom/2)';
  const y = horizontal ? 'ih/2-(ih/zoom/2)' : at;
  return `zoompan=z='${zoom}':x='${x}':y='${y}':${common}`;
}

/**
 * A chain drawing frames `from`..`from+count` of a scene (scene-relative, may run past either
 * end during a transition), captions included, with timestamps 0.. at the output rate.
 * `stamps` overrides the scene time of each frame (stills: one frame per caption state).
 */
export function sceneFrames(picture: ScenePicture, from: number, count: number, size: FrameSize, label: string): string {
  const parts: string[] = [];
  if (picture.clip) {
    const first = Math.max(0, from + picture.clip.offset);
    parts.push(`${cover(picture.input, size)},trim=start_frame=${first}:end_frame=${first + count}`);
  } else if (picture.move) {
    parts.push(`${fit(picture.input, size, MOTION_OVERSAMPLE)},${zoompan(picture.move, from, count, picture.frames, size)},format=yuv420p`);
  } else {
    parts.push(`${fit(picture.input, size)},loop=loop=${count - 1}:size=1:start=0`);
  }
  // The captions read the scene's clock: shift the frames to where they sit in the scene (in a
  // fine time base: the image's own 1/fps would round a frame's time onto its neighbour's).
  parts.push(`settb=1/90000,setpts=N/(${size.fps}*TB)+${(from / size.fps).toFixed(6)}/TB`);
  if (picture.assPath) parts.push(assFilter(picture.assPath, picture.fontsDir));
  parts.push(`setpts=N/(${size.fps}*TB)[${label}]`);
  return parts.join(',');
}

/**
 * A chain drawing one frame per still segment, each at its segment's scene time so libass
 * draws that segment's caption state; the encoder then repeats each as needed.
 */
export function stillFrames(picture: ScenePicture, segments: readonly { sceneFrame: number; frames: number }[], size: FrameSize, label: string): string {
  const total = segments.reduce((sum, s) => sum + s.frames, 0);
  // Piecewise frame → scene time: the latest segment whose first frame N has reached.
  let expression = '';
  let start = 0;
  segments.forEach((segment, i) => {
    const t = `${((segment.sceneFrame + 0.5) / size.fps).toFixed(6)}+(N-${start})*0.0001`;
    expression = i === 0 ? t : `if(gte(N,${start}),${t},${expression})`;
    start += segment.frames;
  });
  const parts = [`${fit(picture.input, size)},loop=loop=${total - 1}:size=1:start=0`, `settb=1/90000,setpts='(${expression})/TB'`];
  if (picture.assPath) parts.push(assFilter(picture.assPath, picture.fontsDir));
  parts.push(`setpts=N/(${size.fps}*TB)[${label}]`);
  return parts.join(',');
}

/** Blends the outgoing scene's frames `a` into the incoming `b` over `frames` frames. */
export function transitionFilter(kind: 'crossfade' | 'slide', a: string, b: string, frames: number, size: FrameSize, label: string): string {
  const seconds = (frames / size.fps).toFixed(6);
  if (kind === 'crossfade') {
    return `[${b}]format=yuva420p,fade=t=in:st=0:d=${seconds}:alpha=1[${b}f];[${a}][${b}f]overlay=format=yuv420,format=yuv420p,setpts=N/(${size.fps}*TB)[${label}]`;
  }
  // The incoming scene slides in from the right, easing in and out (smoothstep).
  const p = `min(1,t/${seconds})`;
  return `[${a}][${b}]overlay=x='W*(1-(3*pow(${p},2)-2*pow(${p},3)))':y=0:eval=frame,format=yuv420p,setpts=N/(${size.fps}*TB)[${label}]`;
}

/**
 * ffmpeg runs in the render's work directory, so the ASS file and fonts folder are plain relative
 * names (letters, digits, `.`, `-`, `_`): nothing in them needs filter-graph escaping.
 */
function assFilter(path: string, fontsDir: string | undefined): string {
  for (const name of [path, fontsDir ?? '']) {
    if (!/^[\w.-]*$/.test(name)) throw new RangeError(`not a plain work-directory name: ${name}`);
  }
  return `ass=filename=${path}${fontsDir ? `:fontsdir=${fontsDir}` : ''}`;
}

/**
 * Frames each segment contributes to the encoder: a still is encoded for one whole unit and laid
 * out by repeating it and cutting a prefix, so what is encoded does not depend on its exact
 * length — a scene moved by a frame after an edit earlier in the script encodes the same bytes
 * and comes from the cache. A moving segment is encoded frame by frame.
 */
export function encodedFrames(segment: Segment, unitFrames: number): number {
  return segment.kind === 'still' ? unitFrames : segment.frames;
}
