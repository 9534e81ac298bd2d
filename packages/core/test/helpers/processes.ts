import { execFileSync } from 'node:child_process';

/** ffmpeg, ffprobe and espeak processes that are children of this test process. */
export const mediaChildren = () =>
  execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)])
    .toString()
    .split('\n')
    .filter((name) => /ffmpeg|ffprobe|espeak/.test(name));
