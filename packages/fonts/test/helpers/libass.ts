import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveBinaries } from '@scriptsensei/core';
import { prepareFontsDir, type FontFamily } from '@scriptsensei/fonts';
import { GRID, GRID_FONT_SIZE, type Picture } from '@scriptsensei/fonts/testing';

const run = promisify(execFile);

/**
 * Draws ASS dialogue lines with libass, through the ffmpeg we resolve, on a black 640x360 frame,
 * with only the fonts of `families` (put in a folder by `prepareFontsDir`): fontconfig is given an
 * empty configuration, so the machine's own fonts are never used and the test works on a machine
 * with none. Returns grey pixels.
 */
export async function renderAss(workDir: string, families: readonly FontFamily[], dialogues: readonly string[], fontSize = GRID_FONT_SIZE): Promise<Picture> {
  const { ffmpeg } = resolveBinaries();
  await prepareFontsDir(families, join(workDir, 'fonts'));
  await writeFile(join(workDir, 'fonts.conf'), '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n');
  const script = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${GRID.width}`,
    `PlayResY: ${GRID.height}`,
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Default,DejaVu Sans,${fontSize},&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,0,0,5,10,10,10,1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...dialogues.map((text) => `Dialogue: 0,0:00:00.00,0:00:05.00,Default,,0,0,0,,${text}`),
    '',
  ].join('\n');
  await writeFile(join(workDir, 'lines.ass'), script);
  // Relative paths: the filter syntax gives ':' and '\' meanings, and temporary paths may hold them.
  const { stdout } = await run(
    ffmpeg,
    ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', `color=black:s=${GRID.width}x${GRID.height}:d=1`, '-vf', 'ass=lines.ass:fontsdir=fonts', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    { cwd: workDir, encoding: 'buffer', maxBuffer: 1 << 24, env: { ...process.env, FONTCONFIG_FILE: join(workDir, 'fonts.conf') } },
  );
  return { width: GRID.width, height: GRID.height, channels: 1, data: new Uint8Array(stdout) };
}
