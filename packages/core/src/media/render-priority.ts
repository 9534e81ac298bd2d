import { setPriority } from 'node:os';

/**
 * How much lower than the event loop render work runs (Unix niceness, 0..19): ffmpeg and espeak-ng
 * children and the worker threads that draw slides or run WASM speech. The API in the same
 * process then keeps answering quickly while renders use every core. Set
 * `SCRIPTSENSEI_RENDER_NICENESS=0` to run them at the process's own priority.
 * @defaultValue 10
 */
export const RENDER_NICENESS = niceness(process.env.SCRIPTSENSEI_RENDER_NICENESS);

function niceness(raw: string | undefined): number {
  const value = raw === undefined || raw === '' ? 10 : Number(raw);
  return Number.isInteger(value) && value >= 0 && value <= 19 ? value : 10;
}

/**
 * Lowers a render child's CPU priority by {@link RENDER_NICENESS}. Best effort: where the OS
 * refuses (no permission, the process already gone), the render goes on at normal priority.
 */
export function deprioritize(pid: number | undefined): void {
  if (pid === undefined || RENDER_NICENESS === 0) return;
  try {
    setPriority(pid, RENDER_NICENESS);
  } catch {
    /* not allowed here, or already exited: nothing to lower */
  }
}

/**
 * A line to run first in a worker thread's source: on Linux the niceness of pid 0 is the calling
 * thread's, so this lowers the thread alone, not the process.
 */
export const DEPRIORITIZE_THREAD_SOURCE =
  RENDER_NICENESS === 0 ? '' : `try { process.getBuiltinModule?.('node:os')?.setPriority(${RENDER_NICENESS}); } catch {}\n`;
