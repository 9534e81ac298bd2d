import { ScriptSenseiError, ValidationError, type FieldIssue } from '@scriptsensei/core';
import type { Hono } from 'hono';
import type { z } from 'zod';
import { wireIssues } from './wire-format.js';

/** An HTTP answer decided before reaching the engine (bad JSON, bad token, rate limit, …). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** Whether the same request may succeed later: rate limited, or the server or a dependency is unavailable. */
  get retryable(): boolean {
    return [429, 502, 503, 504].includes(this.status);
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CANCELLED: 409,
  CONFIGURATION: 503,
  PROVIDER: 502,
  RENDER: 500,
};

/**
 * The JSON error body: `error` in our shape (with `retryable`, so clients know whether to try
 * again), and `detail` in the FastAPI shape the original service's clients parse
 * (`[{ loc, msg, type }]`) for field errors.
 */
export function errorBody(code: string, message: string, fields: FieldIssue[], retryable = false) {
  return {
    error: { code, message, ...(fields.length ? { fields } : {}), retryable },
    detail: fields.length ? fields.map((f) => ({ loc: ['body', ...f.field.split('.')], msg: f.message, type: 'value_error' })) : message,
  };
}

/** Turns anything thrown while handling a request into a status and body; never leaks a stack. */
export function toHttpError(error: unknown, fieldPrefix = ''): HttpError {
  if (error instanceof HttpError) return error;
  if (ValidationError.is(error)) {
    const fields = wireIssues(error.issues, fieldPrefix);
    return new HttpError(422, 'VALIDATION', `Invalid request: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
  }
  if (ScriptSenseiError.is(error)) return new HttpError(STATUS_BY_CODE[error.code] ?? 500, error.code, error.message);
  return new HttpError(500, 'INTERNAL', 'Internal server error');
}

/** A 422 for a body or query that does not have the expected shape, every field named. */
export function shapeError(error: z.ZodError, prefix = ''): HttpError {
  const fields = error.issues.map((issue) => ({ field: `${prefix}${issue.path.join('.')}` || 'body', message: issue.message }));
  return new HttpError(422, 'VALIDATION', `Invalid request: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
}

/**
 * Makes `app` answer what its routes throw, and paths it has no route for, with the JSON error
 * body and the error's status and headers (`Retry-After`, `WWW-Authenticate`). Any app, whatever its
 * variables (hence `any`).
 */
export function answerErrorsAsJson(app: Hono<any>): void {
  app.onError((error, c) => {
    const http = toHttpError(error);
    return c.json(errorBody(http.code, http.message, http.fields, http.retryable), http.status as 400, http.headers);
  });
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `No route ${c.req.method} ${new URL(c.req.url).pathname}`, []), 404));
}
