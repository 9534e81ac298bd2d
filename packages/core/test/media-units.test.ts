import { describe, expect, it } from 'vitest';
import { annexBPrefix } from '../src/media/annex-b.js';
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
