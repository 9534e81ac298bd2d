import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { ConfigurationError } from '../errors.js';

/** Where to look for the ffmpeg and ffprobe executables. */
export interface BinaryOptions {
  /** Explicit path to ffmpeg; wins over everything else. */
  ffmpegPath?: string;
  /** Explicit path to ffprobe; wins over everything else. */
  ffprobePath?: string;
}

export interface ResolvedBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * `explicit` candidates (an option or environment variable the user set) must work: a broken
 * one is reported at once instead of being silently replaced by another ffmpeg.
 * `fromPackage` candidates may have their execute bit restored (see `executableProblem`).
 */
type Candidate = { source: string; path: string | undefined; explicit?: boolean; fromPackage?: boolean };

const require = createRequire(import.meta.url);

/**
 * Finds ffmpeg and ffprobe: option → `FFMPEG_PATH`/`FFPROBE_PATH` → `ffmpeg-static` /
 * `ffprobe-static` → `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe` → `PATH`.
 * Throws a {@link ConfigurationError} listing every place tried and why each failed.
 */
export function resolveBinaries(options: BinaryOptions = {}): ResolvedBinaries {
  return {
    ffmpeg: resolveOne('ffmpeg', [
      { source: 'option ffmpegPath', path: options.ffmpegPath, explicit: true },
      { source: 'env FFMPEG_PATH', path: process.env.FFMPEG_PATH, explicit: true },
      { source: 'package ffmpeg-static', path: packageExport('ffmpeg-static', (m) => m as string), fromPackage: true },
      { source: 'package @ffmpeg-installer/ffmpeg', path: packageExport('@ffmpeg-installer/ffmpeg', (m) => (m as { path: string }).path), fromPackage: true },
      { source: 'PATH', path: findOnPath('ffmpeg') },
    ]),
    ffprobe: resolveOne('ffprobe', [
      { source: 'option ffprobePath', path: options.ffprobePath, explicit: true },
      { source: 'env FFPROBE_PATH', path: process.env.FFPROBE_PATH, explicit: true },
      { source: 'package ffprobe-static', path: packageExport('ffprobe-static', (m) => (m as { path: string }).path), fromPackage: true },
      { source: 'package @ffprobe-installer/ffprobe', path: packageExport('@ffprobe-installer/ffprobe', (m) => (m as { path: string }).path), fromPackage: true },
      { source: 'PATH', path: findOnPath('ffprobe') },
    ]),
  };
}

function resolveOne(name: string, candidates: Candidate[]): string {
  const tried: string[] = [];
  for (const { source, path, explicit = false, fromPackage = false } of candidates) {
    if (!path) {
      tried.push(`${source}: not set or not installed`);
      continue;
    }
    const problem = executableProblem(path, fromPackage);
    if (!problem) return path;
    tried.push(`${source}: ${path} ${problem}`);
    if (explicit) break;
  }
  throw new ConfigurationError(
    `Cannot find a working ${name}. Tried, in order:\n  - ${tried.join('\n  - ')}\n` +
      `Install @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe, set ${name.toUpperCase()}_PATH, or put ${name} on PATH.`,
  );
}

function executableProblem(path: string, repairable = false): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'is not a file';
  } catch {
    return 'does not exist';
  }
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    if (!repairable) return 'is not executable';
    // Package managers that skip install scripts (pnpm 10 by default) leave the packaged
    // binaries without their execute bit; restoring it is what those scripts would have done.
    try {
      chmodSync(path, 0o755);
      accessSync(path, constants.X_OK);
      return undefined;
    } catch {
      return 'is not executable';
    }
  }
}

function packageExport(name: string, pick: (module: unknown) => string | undefined): string | undefined {
  try {
    return pick(require(name)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The first executable file named `command` in a `PATH` directory, if any. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (!executableProblem(candidate)) return candidate;
  }
  return undefined;
}
