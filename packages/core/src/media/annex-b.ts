/**
 * The first `frames` coded pictures of an H.264 Annex-B stream, cut at a NAL start code.
 *
 * Valid for the streams our still-clip encoder writes: one slice per picture, no B-frames, so
 * decode order is display order and a prefix of the pictures is itself a complete stream.
 * Emulation prevention guarantees a start code (00 00 01) never occurs inside a NAL unit.
 */
export function annexBPrefix(stream: Uint8Array, frames: number): Uint8Array {
  let seen = 0;
  for (let i = 0; i + 3 < stream.length; i++) {
    if (stream[i] !== 0 || stream[i + 1] !== 0 || stream[i + 2] !== 1) continue;
    const type = stream[i + 3]! & 0x1f;
    // 1 = slice of a non-IDR picture, 5 = slice of an IDR picture.
    if (type === 1 || type === 5) {
      if (seen === frames) return stream.subarray(0, i > 0 && stream[i - 1] === 0 ? i - 1 : i);
      seen += 1;
    }
    i += 2;
  }
  if (seen < frames) throw new RangeError(`stream has ${seen} pictures, fewer than the ${frames} asked for`);
  return stream;
}
