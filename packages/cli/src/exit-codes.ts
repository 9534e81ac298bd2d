import { CancelledError, ConfigurationError, ValidationError } from '@scriptsensei/core';

/** The CLI's exit statuses; scripts branch on these, so they are part of its interface. */
export const EXIT_CODES = {
  ok: 0,
  /** The render failed (ffmpeg, a provider, storage, or a bug). */
  failure: 1,
  /** Bad input or usage: fixing the command line or the script is needed. */
  usage: 2,
  /** The environment lacks something (ffmpeg, espeak-ng): fixing the setup is needed. */
  configuration: 3,
  /** Cancelled: 128 + SIGINT, as a shell reports a process interrupted by Ctrl-C. */
  interrupted: 130,
  /** Cancelled by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;

/** The exit status for an error that ended a command. */
export function exitCodeFor(error: unknown): number {
  if (ValidationError.is(error)) return EXIT_CODES.usage;
  if (ConfigurationError.is(error)) return EXIT_CODES.configuration;
  if (CancelledError.is(error)) return EXIT_CODES.interrupted;
  return EXIT_CODES.failure;
}
