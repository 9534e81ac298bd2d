import { readFile } from 'node:fs/promises';
import { addAbortSignal, type Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { ValidationError } from '@scriptsensei/core';

/** Operand that makes `render` read the script from stdin. */
export const STDIN = '-';

const READ_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * Reads the script from a file, or from stdin for `-`. An unreadable file is bad input (a
 * `ValidationError` on `<file>`), not a render failure. Aborting `signal` stops a pending read.
 */
export async function readScript(source: string, stdin: Readable, signal: AbortSignal): Promise<string> {
  let content: string;
  if (source === STDIN) {
    content = await text(addAbortSignal(signal, stdin));
  } else {
    try {
      content = await readFile(source, { encoding: 'utf8', signal });
    } catch (error) {
      if (signal.aborted) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const problem = READ_PROBLEMS[code] ?? (error as Error).message;
      throw new ValidationError([{ field: '<file>', message: `cannot read "${source}": ${problem}` }]);
    }
  }
  // Editors on Windows often save UTF-8 with a byte-order mark; it is not part of the script.
  return content.replace(/^\uFEFF/, '');
}
