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

/**
 * Cuts an H.264 Annex-B stream into pieces of `counts[i]` pictures each. A piece ends after the
 * last slice of its last picture, so parameter sets and SEI before the next picture travel with
 * the next piece (each piece our encoder starts with an IDR is then decodable on its own).
 */
export function splitPictures(stream: Uint8Array, counts: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let pieceStart = 0;
  let index = 0;
  let inPiece = 0;
  let lastSliceEnd = -1;
  const starts: number[] = [];
  for (let i = 0; i + 3 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i > 0 && stream[i - 1] === 0 ? i - 1 : i);
      i += 2;
    }
  }
  starts.push(stream.length);
  for (let n = 0; n + 1 < starts.length; n++) {
    const at = starts[n]!;
    const headerAt = stream[at] === 0 && stream[at + 1] === 0 && stream[at + 2] === 0 ? at + 4 : at + 3;
    const type = stream[headerAt]! & 0x1f;
    if (type !== 1 && type !== 5) continue;
    // A slice of a new picture: close the current piece first if it is full.
    if (index < counts.length && inPiece === counts[index]) {
      pieces.push(stream.subarray(pieceStart, lastSliceEnd));
      pieceStart = lastSliceEnd;
      index += 1;
      inPiece = 0;
    }
    if (index >= counts.length) throw new RangeError(`stream holds more pictures than the ${counts.length} pieces asked for`);
    inPiece += 1;
    lastSliceEnd = starts[n + 1]!;
  }
  if (index < counts.length && inPiece === counts[index]) {
    pieces.push(stream.subarray(pieceStart, stream.length));
    index += 1;
  }
  if (index !== counts.length) throw new RangeError(`stream holds pictures for ${index} of ${counts.length} pieces`);
  return pieces;
}
