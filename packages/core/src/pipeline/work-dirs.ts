import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Per-render temporary directories are named `scriptsensei-<pid>-<random>`: the pid says whose it is. */
const PATTERN = /^scriptsensei-(\d+)-/;

/** A new temporary directory for one render, under `parent` (default `os.tmpdir()`). */
export function createWorkDir(parent: string | undefined): Promise<string> {
  return mkdtemp(join(parent ?? tmpdir(), `scriptsensei-${process.pid}-`));
}

/**
 * Removes the render directories under `parent` whose process is gone (killed before it could
 * clean up, e.g. by SIGKILL or the OOM killer). Returns how many it removed. Directories of live
 * processes, this one's included, are left alone.
 */
export async function sweepAbandonedWorkDirs(parent: string | undefined): Promise<number> {
  const root = parent ?? tmpdir();
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const pid = Number(PATTERN.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
    removed += 1;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
