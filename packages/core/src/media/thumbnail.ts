import { runFfmpeg } from './ffmpeg-run.js';

/**
 * Writes the video's poster: the first scene's picture at the video's size, as a JPEG. A still
 * is letterboxed as in the video; a clip's first frame is cropped to cover, as clips are.
 */
export async function writeThumbnail(
  ffmpegPath: string,
  imagePath: string,
  outputPath: string,
  size: { width: number; height: number; cover?: boolean },
  signal: AbortSignal,
): Promise<void> {
  const { width: w, height: h } = size;
  const fit = size.cover
    ? `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h}`
    : `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2`;
  await runFfmpeg({
    ffmpegPath,
    inputs: [{ path: imagePath }],
    outputs: [{ path: outputPath, options: ['-vf', `${fit},setsar=1`, '-frames:v', '1', '-q:v', '3', '-f', 'image2'] }],
    signal,
  });
}
