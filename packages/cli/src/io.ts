import type { Readable } from 'node:stream';

/** The process surface the CLI uses, passed in so tests can run it in-process. */
export interface CliIO {
  stdin: Readable;
  stdout: NodeJS.WritableStream;
  /** `isTTY` chooses between a live progress bar and one plain line per stage. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Environment used for tool locations and temporary files. @defaultValue `process.env` */
  env?: NodeJS.ProcessEnv;
  /** Cancels a running render when aborted (the `scriptsensei` binary wires it to SIGINT/SIGTERM). */
  signal?: AbortSignal;
}
