/** Where a WAV file's samples are and how they are laid out. */
export interface WavLayout {
  /** WAVE format tag: 1 PCM, 3 IEEE float, 0xfffe extensible. */
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  bitsPerSample: number;
  /** Offset of the first sample byte in the file. */
  dataOffset: number;
  /** Bytes of samples, bounded by the file's size. */
  dataBytes: number;
}

/**
 * Reads the `fmt ` and `data` chunks of a RIFF/WAVE file from its first bytes (`bytes`), or
 * `undefined` when it is not a WAV with a format before its data. Streaming writers sometimes
 * leave a placeholder data size, so the file's size (`fileSize`) bounds it.
 */
export function wavLayout(bytes: Buffer, fileSize = bytes.length): WavLayout | undefined {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let fmt: Omit<WavLayout, 'dataOffset' | 'dataBytes'> | undefined;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= bytes.length) {
      fmt = {
        format: bytes.readUInt16LE(offset + 8),
        channels: bytes.readUInt16LE(offset + 10),
        sampleRate: bytes.readUInt32LE(offset + 12),
        byteRate: bytes.readUInt32LE(offset + 16),
        bitsPerSample: bytes.readUInt16LE(offset + 22),
      };
    } else if (id === 'data') {
      return fmt && { ...fmt, dataOffset: offset + 8, dataBytes: Math.max(0, Math.min(size, fileSize - (offset + 8))) };
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
