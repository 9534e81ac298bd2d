/**
 * Typed errors. Every error ScriptSensei throws on purpose is a {@link ScriptSenseiError} with a
 * stable `code`, a `retryable` flag the job engine trusts, and the underlying `cause`.
 *
 * Packages are shipped as both ESM and CJS, so one process can hold two copies of these classes;
 * `instanceof` then fails across copies. Use the static `is` helpers, which check a global marker.
 */

const marker = Symbol.for('scriptsensei.error');

/** Stable machine-readable error codes. */
export type ErrorCode =
  | 'VALIDATION'
  | 'PROVIDER'
  | 'RENDER'
  | 'CANCELLED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CONFIGURATION';

export interface ScriptSenseiErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

/** Base class of every error ScriptSensei raises deliberately. */
export class ScriptSenseiError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  /** Whether running the same work again may succeed (transient failure). */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ScriptSenseiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScriptSenseiError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  static is(error: unknown): error is ScriptSenseiError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** A plain, JSON-safe view (no stack), as stored on job records and sent over HTTP. */
  toJSON(): { code: ErrorCode; message: string; retryable: boolean } {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

/** One problem with one input field. `field` is a dotted path such as `script` or `scenes.2.text`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The input is wrong; retrying the same input can never succeed. */
export class ValidationError extends ScriptSenseiError {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], options: { cause?: unknown } = {}) {
    super('VALIDATION', `Invalid input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, {
      ...options,
      retryable: false,
    });
    this.name = 'ValidationError';
    this.issues = issues;
  }

  static override is(error: unknown): error is ValidationError {
    return ScriptSenseiError.is(error) && error.code === 'VALIDATION';
  }

  override toJSON() {
    return { ...super.toJSON(), issues: this.issues };
  }
}

export interface ProviderErrorOptions extends ScriptSenseiErrorOptions {
  /** The HTTP status a vendor answered with, when the failure was an HTTP answer. */
  status?: number;
}

/** A TTS, image or storage provider failed. Retryable unless the provider said the request was bad. */
export class ProviderError extends ScriptSenseiError {
  /** Which provider failed, e.g. `espeak` or `slides`. */
  readonly provider: string;
  /** The vendor's HTTP status (e.g. 401, 429, 503), when it answered. */
  readonly status: number | undefined;

  constructor(provider: string, message: string, options: ProviderErrorOptions = {}) {
    const { status, ...rest } = options;
    super('PROVIDER', `${provider}: ${message}`, { retryable: true, ...rest });
    this.name = 'ProviderError';
    this.provider = provider;
    this.status = status;
  }

  static override is(error: unknown): error is ProviderError {
    return ScriptSenseiError.is(error) && error.code === 'PROVIDER';
  }
}

/** ffmpeg (or ffprobe) failed while composing the video. */
export class RenderError extends ScriptSenseiError {
  constructor(message: string, options: ScriptSenseiErrorOptions = {}) {
    super('RENDER', message, { retryable: true, ...options });
    this.name = 'RenderError';
  }

  static override is(error: unknown): error is RenderError {
    return ScriptSenseiError.is(error) && error.code === 'RENDER';
  }
}

/** The work was cancelled through its `AbortSignal`. Never retried. */
export class CancelledError extends ScriptSenseiError {
  constructor(message = 'The render was cancelled.', options: { cause?: unknown } = {}) {
    super('CANCELLED', message, { ...options, retryable: false });
    this.name = 'CancelledError';
  }

  static override is(error: unknown): error is CancelledError {
    return ScriptSenseiError.is(error) && error.code === 'CANCELLED';
  }
}

/** Something named by id or key does not exist. */
export class NotFoundError extends ScriptSenseiError {
  constructor(message: string) {
    super('NOT_FOUND', message, { retryable: false });
    this.name = 'NotFoundError';
  }

  static override is(error: unknown): error is NotFoundError {
    return ScriptSenseiError.is(error) && error.code === 'NOT_FOUND';
  }
}

/** The operation does not fit the current state (e.g. cancelling a finished job). */
export class ConflictError extends ScriptSenseiError {
  constructor(message: string) {
    super('CONFLICT', message, { retryable: false });
    this.name = 'ConflictError';
  }

  static override is(error: unknown): error is ConflictError {
    return ScriptSenseiError.is(error) && error.code === 'CONFLICT';
  }
}

/** The environment is missing something (a binary, a module); fix the setup, then retry. */
export class ConfigurationError extends ScriptSenseiError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIGURATION', message, { ...options, retryable: false });
    this.name = 'ConfigurationError';
  }

  static override is(error: unknown): error is ConfigurationError {
    return ScriptSenseiError.is(error) && error.code === 'CONFIGURATION';
  }
}

/** Throws a {@link CancelledError} when the signal has fired. Call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw toCancelled(signal.reason);
}

/** Normalises an abort reason into a {@link CancelledError}. */
export function toCancelled(reason: unknown): CancelledError {
  if (CancelledError.is(reason)) return reason;
  return new CancelledError(undefined, { cause: reason });
}
