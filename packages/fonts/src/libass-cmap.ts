/**
 * Makes a TrueType font's BMP character maps point at its full-Unicode map, in place, and
 * returns the font.
 *
 * Why: libass before 0.15 (the one in the 2018 static ffmpeg of `@ffmpeg-installer/ffmpeg`)
 * selects the first Microsoft Unicode cmap it finds. Fonts list the BMP-only map (3,1) before
 * the full one (3,10), so every character beyond U+FFFF, which is almost every emoji, comes out
 * as a box. A format-12 map covers the BMP too, so pointing the (3,1) and (0,3) records at it
 * changes nothing for other readers. Fonts without a full map, collections and anything this
 * does not understand are returned unchanged.
 */
export function preferFullUnicodeCmap(font: Buffer): Buffer {
  try {
    const tables = font.readUInt16BE(4);
    let cmap = -1;
    for (let i = 0; i < tables; i++) {
      const record = 12 + 16 * i;
      if (font.toString('latin1', record, record + 4) === 'cmap') cmap = font.readUInt32BE(record + 8);
    }
    if (cmap < 0) return font;
    const encodings = font.readUInt16BE(cmap + 2);
    const records = Array.from({ length: encodings }, (_, i) => cmap + 4 + 8 * i);
    const full = records.find((r) => font.readUInt16BE(r) === 3 && font.readUInt16BE(r + 2) === 10);
    if (full === undefined) return font;
    const fullOffset = font.readUInt32BE(full + 4);
    if (font.readUInt16BE(cmap + fullOffset) !== 12) return font;
    for (const r of records) {
      const [platform, encoding] = [font.readUInt16BE(r), font.readUInt16BE(r + 2)];
      if ((platform === 3 && encoding === 1) || (platform === 0 && encoding === 3)) font.writeUInt32BE(fullOffset, r + 4);
    }
    return font;
  } catch (error) {
    // A truncated or odd file: leave it as it is, libass will say what it makes of it.
    if (error instanceof RangeError) return font;
    throw error;
  }
}
