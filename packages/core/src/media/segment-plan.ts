import type { CaptionEvent } from '../captions/ass-script.js';

/** Where one scene sits on the video's frame timeline, and what it needs drawn. */
export interface SceneSlot {
  startFrame: number;
  frames: number;
  /** Caption events on the scene's own clock (seconds from the scene's first frame). */
  events: CaptionEvent[];
  /** The scene moves (Ken Burns, or a video clip): its frames are encoded one by one. */
  moving: boolean;
}

/**
 * A run of frames encoded by one x264 session, starting with an IDR picture, so segments can be
 * joined byte-wise. `still`: one picture (a scene with one caption state), encoded as one GOP
 * and repeated. `scene`: every frame of a moving scene's body. `transition`: scene `scene - 1`
 * giving way to `scene`.
 */
export type Segment =
  | { kind: 'still'; scene: number; startFrame: number; frames: number; event?: CaptionEvent }
  | { kind: 'scene'; scene: number; startFrame: number; frames: number }
  | { kind: 'transition'; scene: number; startFrame: number; frames: number };

/**
 * How the transition into scene `index` splits around the boundary: `before` frames taken from
 * the end of the scene before, `after` from the start of this one, `frames` in all, each side at
 * most a third of its own scene (so each keeps a body, and each side depends on its scene only).
 */
export function transitionFrames(previousFrames: number | undefined, frames: number | undefined, total: number): { before: number; after: number } {
  if (total <= 0 || previousFrames === undefined || frames === undefined) return { before: 0, after: 0 };
  return {
    before: Math.min(Math.floor(total / 2), Math.floor(previousFrames / 3)),
    after: Math.min(total - Math.floor(total / 2), Math.floor(frames / 3)),
  };
}

/**
 * The segments of scene `index`: the transition into it (if any), then its body — one `scene`
 * segment when it moves, else a `still` segment per caption state (the picture only changes
 * where a caption appears, changes or goes). `fps` converts caption times to frames.
 */
export function sceneSegments(slots: readonly SceneSlot[], index: number, sceneCount: number, transition: number, fps: number): Segment[] {
  const slot = slots[index]!;
  const into = transitionFrames(slots[index - 1]?.frames, slot.frames, transition);
  // The next scene's length does not matter to this side of the boundary.
  const out = index + 1 < sceneCount ? transitionFrames(slot.frames, 0, transition) : { before: 0 };
  const segments: Segment[] = [];
  if (into.before + into.after > 0) {
    segments.push({ kind: 'transition', scene: index, startFrame: slot.startFrame - into.before, frames: into.before + into.after });
  }
  const bodyStart = into.after;
  const bodyEnd = slot.frames - out.before;
  if (bodyEnd <= bodyStart) return segments;
  if (slot.moving) {
    segments.push({ kind: 'scene', scene: index, startFrame: slot.startFrame + bodyStart, frames: bodyEnd - bodyStart });
    return segments;
  }
  // Frame (scene-relative) where each caption state begins; each event lasts until the next change.
  const changes = new Map<number, CaptionEvent | undefined>([[bodyStart, activeEvent(slot.events, bodyStart / fps)]]);
  for (const event of slot.events) {
    for (const [at, state] of [
      [Math.round(event.startSeconds * fps), event],
      [Math.round(event.endSeconds * fps), undefined],
    ] as const) {
      if (at <= bodyStart || at >= bodyEnd) continue;
      // A state that starts where another ends wins over the gap between them.
      if (state || !changes.has(at)) changes.set(at, state ?? activeEvent(slot.events, (at + 0.5) / fps));
    }
  }
  const starts = [...changes.keys()].sort((a, b) => a - b);
  starts.forEach((at, i) => {
    const end = starts[i + 1] ?? bodyEnd;
    const event = changes.get(at);
    segments.push({ kind: 'still', scene: index, startFrame: slot.startFrame + at, frames: end - at, ...(event ? { event } : {}) });
  });
  return mergeEqualStills(segments);
}

/** The event showing at `seconds`, if any (the later one where two touch). */
export function activeEvent(events: readonly CaptionEvent[], seconds: number): CaptionEvent | undefined {
  let found: CaptionEvent | undefined;
  for (const event of events) if (event.startSeconds <= seconds && seconds < event.endSeconds) found = event;
  return found;
}

/** Adjacent stills showing the same thing are one picture: one GOP instead of two. */
function mergeEqualStills(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (last?.kind === 'still' && segment.kind === 'still' && last.event === segment.event) last.frames += segment.frames;
    else merged.push({ ...segment });
  }
  return merged;
}
