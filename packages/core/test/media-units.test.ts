import { describe, expect, it } from 'vitest';
import { annexBPrefix, splitPictures } from '../src/media/annex-b.js';
import { sceneSegments, transitionFrames } from '../src/media/segment-plan.js';
import { sceneFrames } from '../src/media/scene-filters.js';
import { wavLayout } from '../src/media/wav-header.js';
import { planFrames } from '../src/media/frame-plan.js';

describe('planFrames', () => {
  it('never drifts more than half a frame from the running total', () => {
    const durations = Array.from({ length: 500 }, (_, i) => 1.01 + ((i * 7919) % 97) / 1000);
    const plan = planFrames(durations, 30);
    let elapsed = 0;
    durations.forEach((d, i) => {
      elapsed += d;
      const end = plan[i]!.startFrame + plan[i]!.frames;
      expect(Math.abs(end / 30 - elapsed)).toBeLessThanOrEqual(0.5 / 30 + 1e-9);
    });
  });

  it('gives every scene at least one frame, contiguously', () => {
    const plan = planFrames([0, 0.001, 2], 30);
    expect(plan.map((p) => p.frames)).toEqual([1, 1, 58]);
    expect(plan.map((p) => p.startFrame)).toEqual([0, 1, 2]);
  });
});

describe('annexBPrefix', () => {
  // SPS, PPS, IDR slice, two non-IDR slices; mixed 3- and 4-byte start codes.
  const nal = (type: number, payload: number[], long = true) => [...(long ? [0, 0, 0, 1] : [0, 0, 1]), type, ...payload];
  const stream = Uint8Array.from([...nal(0x67, [1, 2]), ...nal(0x68, [3]), ...nal(0x65, [9, 9, 9]), ...nal(0x41, [4], false), ...nal(0x41, [5])]);

  it('cuts before the first picture past the count', () => {
    expect([...annexBPrefix(stream, 1)]).toEqual([...nal(0x67, [1, 2]), ...nal(0x68, [3]), ...nal(0x65, [9, 9, 9])]);
    expect([...annexBPrefix(stream, 2)]).toEqual([...nal(0x67, [1, 2]), ...nal(0x68, [3]), ...nal(0x65, [9, 9, 9]), ...nal(0x41, [4], false)]);
  });

  it('returns the whole stream when asked for all pictures', () => {
    expect(annexBPrefix(stream, 3)).toBe(stream);
  });

  it('refuses to invent pictures', () => {
    expect(() => annexBPrefix(stream, 4)).toThrow(RangeError);
  });
});

describe('splitPictures', () => {
  const nal = (type: number, payload: number[], long = true) => [...(long ? [0, 0, 0, 1] : [0, 0, 1]), type, ...payload];
  // Two segments as our encoder writes them: each IDR preceded by its own SPS and PPS.
  const first = [...nal(0x67, [1]), ...nal(0x68, [2]), ...nal(0x65, [3]), ...nal(0x41, [4], false)];
  const second = [...nal(0x67, [1]), ...nal(0x68, [2]), ...nal(0x65, [5]), ...nal(0x41, [6]), ...nal(0x41, [7])];
  const stream = Uint8Array.from([...first, ...second]);

  it('cuts by picture count, parameter sets travelling with the picture after them', () => {
    const [a, b] = splitPictures(stream, [2, 3]);
    expect([...a!]).toEqual(first);
    expect([...b!]).toEqual(second);
  });

  it('refuses counts the stream does not hold', () => {
    expect(() => splitPictures(stream, [2, 4])).toThrow(RangeError);
    expect(() => splitPictures(stream, [1, 1, 1])).toThrow(RangeError);
  });
});

describe('sceneSegments', () => {
  const event = (start: number, end: number, text = 'hi') => ({
    startSeconds: start,
    endSeconds: end,
    cue: { startSeconds: start, endSeconds: end, lines: [text], words: [{ word: text, startSeconds: start, endSeconds: end }] },
  });
  const slot = (startFrame: number, frames: number, events: ReturnType<typeof event>[] = [], moving = false) => ({ startFrame, frames, events, moving });
  const covered = (segments: { startFrame: number; frames: number }[]) => segments.reduce((sum, s) => sum + s.frames, 0);

  it('cuts a still scene where a caption appears, changes or goes, and nowhere else', () => {
    const slots = [slot(0, 90, [event(0.1, 1, 'one'), event(1, 2.5, 'two')])];
    const segments = sceneSegments(slots, 0, 1, 0, 30);
    expect(segments.map((s) => [s.kind, s.startFrame, s.frames, s.kind === 'still' ? s.event?.cue.lines[0] : undefined])).toEqual([
      ['still', 0, 3, undefined],
      ['still', 3, 27, 'one'],
      ['still', 30, 45, 'two'],
      ['still', 75, 15, undefined],
    ]);
  });

  it('takes a centred transition from both scenes and keeps every frame exactly once', () => {
    const slots = [slot(0, 60), slot(60, 90), slot(150, 45)];
    const all = [0, 1, 2].flatMap((i) => sceneSegments(slots, i, 3, 15, 30));
    expect(covered(all)).toBe(195);
    const transitions = all.filter((s) => s.kind === 'transition');
    expect(transitions.map((s) => [s.startFrame, s.frames])).toEqual([
      [53, 15],
      [143, 15],
    ]);
    // Contiguous, in order.
    let at = 0;
    for (const s of all) {
      expect(s.startFrame).toBe(at);
      at += s.frames;
    }
  });

  it('never lets a transition take more than a third of a short scene', () => {
    expect(transitionFrames(6, 300, 60)).toEqual({ before: 2, after: 30 });
    expect(transitionFrames(undefined, 30, 15)).toEqual({ before: 0, after: 0 });
  });

  it('encodes a moving scene as one segment', () => {
    const segments = sceneSegments([slot(0, 90, [event(0, 1)], true)], 0, 1, 0, 30);
    expect(segments).toEqual([{ kind: 'scene', scene: 0, startFrame: 0, frames: 90 }]);
  });
});

describe('Ken Burns pans', () => {
  const size = { width: 1920, height: 1080, fps: 30 };
  const picture = (frames: number) => ({ input: 0, frames, move: { direction: 'right' as const, amount: 0.08 } });

  it('move a whole number of pixels every frame, with just the zoom that distance needs', () => {
    const chain = sceneFrames(picture(150), 0, 150, size, 'x');
    const [, step] = /\*\(0\+on\)/.test(chain) ? /min\(\d+,(\d+)\*\(0\+on\)\)/.exec(chain)! : [];
    expect(Number(step) % 2).toBe(0);
    const zoom = Number(/z='([\d.]+)'/.exec(chain)![1]);
    expect(zoom).toBeCloseTo(3840 / (3840 - Number(step) * 149), 5);
  });

  it('zoom in instead when the scene is too long to pan slowly without cropping the slide', () => {
    expect(sceneFrames(picture(1800), 0, 1800, size, 'x')).toContain("z='1+0.08*((0+on)/1799)'");
  });
});

describe('wavLayout', () => {
  /** A RIFF/WAVE file of `samples` 16-bit mono samples at 8 kHz; `declared` overrides the data size. */
  const wav = (samples: number[], declared = samples.length * 2, dataFirst = false) => {
    const fmt = Buffer.alloc(24);
    fmt.write('fmt ', 0, 'ascii');
    fmt.writeUInt32LE(16, 4);
    fmt.writeUInt16LE(1, 8);
    fmt.writeUInt16LE(1, 10);
    fmt.writeUInt32LE(8000, 12);
    fmt.writeUInt32LE(16000, 16);
    fmt.writeUInt16LE(2, 20);
    fmt.writeUInt16LE(16, 22);
    const data = Buffer.alloc(8 + samples.length * 2);
    data.write('data', 0, 'ascii');
    data.writeUInt32LE(declared, 4);
    samples.forEach((v, i) => data.writeInt16LE(v, 8 + 2 * i));
    const head = Buffer.from('RIFF\0\0\0\0WAVE', 'latin1');
    return Buffer.concat(dataFirst ? [head, data, fmt] : [head, fmt, data]);
  };

  it('finds the format and the samples, bounding a placeholder data size by the file', () => {
    expect(wavLayout(wav([1, 2, 3]))).toEqual({ format: 1, channels: 1, sampleRate: 8000, byteRate: 16000, bitsPerSample: 16, dataOffset: 44, dataBytes: 6 });
    expect(wavLayout(wav([1, 2, 3], 0xffffffff))?.dataBytes).toBe(6);
  });

  it('refuses what is not a WAV with its format first', () => {
    expect(wavLayout(Buffer.from('ID3 not a wave file'))).toBeUndefined();
    expect(wavLayout(wav([1], 2, true))).toBeUndefined();
  });
});
