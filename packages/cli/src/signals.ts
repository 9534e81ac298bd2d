import { CancelledError } from '@scriptsensei/core';
import { EXIT_CODES } from './exit-codes.js';

const SIGNAL_EXIT_CODES = { SIGINT: EXIT_CODES.interrupted, SIGTERM: EXIT_CODES.terminated } as const;

type CancelSignal = keyof typeof SIGNAL_EXIT_CODES;

export interface SignalCancellation {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The exit status the received signal calls for; undefined while none was received. */
  readonly exitCode: number | undefined;
}

/**
 * Turns the first SIGINT/SIGTERM into an abort, so a render can kill its ffmpeg and espeak
 * children and remove its temporary files before the process exits. A second signal means
 * the user will not wait for that cleanup: `exit` is called at once.
 */
export function cancelOnSignals(exit: (code: number) => void): SignalCancellation {
  const controller = new AbortController();
  let exitCode: number | undefined;
  const onSignal = (name: CancelSignal) => {
    if (exitCode !== undefined) return exit(SIGNAL_EXIT_CODES[name]);
    exitCode = SIGNAL_EXIT_CODES[name];
    controller.abort(new CancelledError(`Cancelled by ${name}.`));
  };
  for (const name of Object.keys(SIGNAL_EXIT_CODES) as CancelSignal[]) process.on(name, onSignal);
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
  };
}
