/**
 * Errors raised by the gateway's own HTTP layer (authentication, authorisation, input validation),
 * as opposed to ledger errors that come back from the chaincode. The app's `onError` turns an
 * `HttpError` into `{ error: { code, message, details } }` with its status.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';

/** HTTP status of each gateway error code. */
export const HTTP_ERROR_STATUS = {
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.INVALID_CREDENTIALS': 401,
  'AUTH.FORBIDDEN': 403,
  'AUTH.RATE_LIMITED': 429,
  'VALIDATION.INVALID_ARGUMENT': 400,
  'VALIDATION.PAYLOAD_TOO_LARGE': 413,
  'VALIDATION.UNSUPPORTED_MEDIA_TYPE': 415,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
} as const;

/** A stable error code of the HTTP layer; clients match on it, never on the message. */
export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

/** Status codes an `HttpError` can carry. */
export type HttpErrorStatus = (typeof HTTP_ERROR_STATUS)[HttpErrorCode];

/** An error with a stable code, its HTTP status and structured details (e.g. the offending field). */
export class HttpError extends Error {
  readonly status: HttpErrorStatus;
  readonly code: HttpErrorCode;
  readonly details: Record<string, unknown>;
  /** Extra response headers, e.g. `Retry-After` for `AUTH.RATE_LIMITED`. */
  readonly headers: Record<string, string>;

  constructor(code: HttpErrorCode, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.status = HTTP_ERROR_STATUS[code];
    this.details = details;
    this.headers = headers;
  }

  /** The response body the gateway sends for this error. */
  toBody(): { error: { code: HttpErrorCode; message: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }

  /**
   * A `VALIDATION.INVALID_ARGUMENT` naming the first offending field (dotted path) and listing
   * every issue, from a zod validation failure.
   */
  static fromZod(error: ZodError, target?: string): HttpError {
    const issues = error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
    const first = issues[0];
    const field = first?.field ?? '';
    const message = first ? `${field || (target ?? 'input')}: ${first.message}` : 'invalid input';
    return new HttpError('VALIDATION.INVALID_ARGUMENT', message, { field, ...(target && { target }), issues });
  }
}

/** True for an `HttpError`. */
export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}

/**
 * The `HttpError` an error stands for: itself, or Hono's own 400 (`HTTPException`, e.g. a request
 * body that is not JSON, raised by the validator before any schema runs) as
 * `VALIDATION.INVALID_ARGUMENT`, so bad input never becomes a 500. Undefined for anything else.
 */
export function asHttpError(e: unknown): HttpError | undefined {
  if (e instanceof HttpError) return e;
  if (e instanceof HTTPException && e.status === 400) return new HttpError('VALIDATION.INVALID_ARGUMENT', e.message || 'bad request', { field: 'body' });
  // The validators refuse a body of another media type with 415 before any schema runs.
  if (e instanceof HTTPException && e.status === 415) return new HttpError('VALIDATION.UNSUPPORTED_MEDIA_TYPE', e.message || 'unsupported media type', { field: 'content-type' });
  if (e instanceof HTTPException && e.status === 413) return new HttpError('VALIDATION.PAYLOAD_TOO_LARGE', e.message || 'payload too large', { field: 'body' });
  return undefined;
}

/**
 * For the app's `onError`: renders an `HttpError` (see {@link asHttpError}) as
 * `{ error: { code, message, details } }` with its status and headers (e.g. `Retry-After`);
 * undefined when the error is not one, so the caller goes on with its other mappings.
 */
export function renderHttpError(e: unknown, c: Context): Response | undefined {
  const err = asHttpError(e);
  if (!err) return undefined;
  for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
  return c.json(err.toBody(), err.status);
}
