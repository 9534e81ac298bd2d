import { ValidationError } from './errors.js';

/** Longest storage key accepted, in characters. */
const MAX_KEY_LENGTH = 512;

/**
 * Throws a {@link ValidationError} unless `key` is a relative, `/`-separated path that cannot
 * escape a storage root: no `..` or `.` segments, no leading `/`, no backslashes, no drive
 * letters, no control characters (NUL included), no empty segments.
 */
export function assertSafeKey(key: unknown, field = 'key'): asserts key is string {
  const problem = keyProblem(key);
  if (problem) throw new ValidationError([{ field, message: problem }]);
}

function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'must be a non-empty string';
  if (key.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'must not contain control characters';
  if (key.includes('\\')) return 'must use "/" as separator, not "\\"';
  if (key.startsWith('/') || /^[a-zA-Z]:/.test(key)) return 'must be a relative path';
  for (const segment of key.split('/')) {
    if (segment === '') return 'must not contain empty path segments';
    if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
  }
  return undefined;
}
