import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FontFamily } from './families.js';
import { preferFullUnicodeCmap } from './libass-cmap.js';

/**
 * Fills `dir` (created if needed) with the regular and bold files of `families`, for a
 * renderer that loads every font in a folder: libass, as `ass=…:fontsdir=dir`. Handing it only
 * what a text needs keeps a Latin script from loading a 10 MB CJK font.
 *
 * Files are symlinked (copied where the file system does not allow links). Emoji fonts are
 * written as copies whose BMP character map is redirected to the full one, since older libass
 * reads only the BMP map and would draw every emoji as a box.
 * Files already in `dir` are kept, so calling this twice is harmless. Returns `dir`.
 */
export async function prepareFontsDir(families: readonly FontFamily[], dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const placed = families.flatMap((family) =>
    [family.regular, ...(family.bold ? [family.bold] : [])].map((file) =>
      place(file, join(dir, basename(file)), family.scripts.includes('emoji')).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      }),
    ),
  );
  await Promise.all(placed);
  return dir;
}

async function place(file: string, target: string, emoji: boolean): Promise<void> {
  if (emoji) return writeFile(target, preferFullUnicodeCmap(await readFile(file)), { flag: 'wx' });
  try {
    await symlink(file, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    await copyFile(file, target, constants.COPYFILE_EXCL);
  }
}
