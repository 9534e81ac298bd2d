/** A fragmented MP4 cut into what an HLS playlist serves: the init segment and its fragments. */
export interface Fmp4Parts {
  /** `ftyp` + `moov`: the codec set-up every fragment needs (`EXT-X-MAP`). */
  init: Uint8Array;
  fragments: Fmp4Fragment[];
}

/** One `moof` + `mdat` pair. */
export interface Fmp4Fragment {
  bytes: Uint8Array;
  /** Samples of `trackId` in the fragment (pictures, for a video track). */
  samples: number;
}

interface Box {
  type: string;
  start: number;
  /** Where the payload begins (after the size, type and any 64-bit size). */
  body: number;
  end: number;
}

/** The boxes between `start` and `end`, in order. */
function boxes(data: Uint8Array, start: number, end: number): Box[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const found: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    let body = at + 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8));
      body += 8;
    } else if (size === 0) size = end - at;
    if (size < body - at || at + size > end) throw new RangeError(`malformed MP4 box at byte ${at}`);
    found.push({ type: String.fromCharCode(...data.subarray(at + 4, at + 8)), start: at, body, end: at + size });
    at += size;
  }
  return found;
}

/**
 * Splits a fragmented MP4 (ffmpeg's `-movflags empty_moov+frag_keyframe`) into its init segment
 * and its fragments, counting each fragment's samples of `trackId` (from its `trun` boxes).
 */
export function splitFmp4(data: Uint8Array, trackId: number): Fmp4Parts {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const top = boxes(data, 0, data.byteLength);
  const firstMoof = top.findIndex((b) => b.type === 'moof');
  if (firstMoof < 0) throw new RangeError('MP4 holds no fragment (moof)');
  const fragments: Fmp4Fragment[] = [];
  for (let i = firstMoof; i < top.length; i++) {
    const moof = top[i]!;
    if (moof.type !== 'moof') continue;
    const mdat = top[i + 1];
    if (mdat?.type !== 'mdat') throw new RangeError(`MP4 fragment at byte ${moof.start} has no mdat`);
    let samples = 0;
    for (const traf of boxes(data, moof.body, moof.end).filter((b) => b.type === 'traf')) {
      const children = boxes(data, traf.body, traf.end);
      const tfhd = children.find((b) => b.type === 'tfhd');
      // tfhd and trun are full boxes: 4 bytes of version and flags, then track_ID / sample_count.
      if (!tfhd || view.getUint32(tfhd.body + 4) !== trackId) continue;
      for (const trun of children.filter((b) => b.type === 'trun')) samples += view.getUint32(trun.body + 4);
    }
    fragments.push({ bytes: data.subarray(moof.start, mdat.end), samples });
  }
  return { init: data.subarray(0, top[firstMoof]!.start), fragments };
}
