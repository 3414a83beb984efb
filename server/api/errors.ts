import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type z } from 'zod';
import { isStorageFailure } from '../db/failure.js';
import type { Logger } from '../logger.js';

export type ErrorCode =
  | 'invalid'
  | 'invalid_json'
  | 'unauthorised'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  invalid: 400,
  invalid_json: 400,
  unauthorised: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

/** An error meant for the client: its code picks the status, its message is shown as it is. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no such route: ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** The one place errors become responses. A 500 says nothing of internals; the log has them. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const apiError = toApiError(error);
    if (apiError.code === 'internal' || apiError.code === 'unavailable') {
      logger.error('request failed', {
        method: req.method,
        path: req.path,
        error: (error as Error)?.stack ?? String(error),
      });
    }
    if (res.headersSent) return;
    const body: { code: ErrorCode; message: string; details?: unknown } = {
      code: apiError.code,
      message: apiError.message,
    };
    if (apiError.details !== undefined) body.details = apiError.details;
    res.status(statusOf[apiError.code]).json({ error: body });
  };
}

/** How a path into the input is written for the client: `outbox.depth`, `results[2].startedAt`. */
export type PathPrinter = (path: readonly PropertyKey[]) => string;

const dotted: PathPrinter = (path) => path.join('.');

/**
 * A zod issue in the client's words: where it is, written by `printPath`, and what is wrong there.
 * Unknown keys are named together, at the object that holds them: "unknown fields 'a', 'b'".
 */
export function issueDetail(
  issue: z.core.$ZodIssue,
  printPath: PathPrinter,
  noun = 'field',
): { path: string; message: string } {
  const path = printPath(issue.path);
  if (issue.code !== 'unrecognized_keys') return { path, message: issue.message };
  const { keys } = issue;
  return {
    path,
    message: `unknown ${noun}${keys.length > 1 ? 's' : ''} ${keys.map((key) => `'${key}'`).join(', ')}`,
  };
}

/** Parses a request's query or body with a schema; a mismatch is a 400 naming each bad field. */
export function parseInput<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  value: unknown,
  where: 'query' | 'body',
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalidInput(parsed.error, where);
}

/** A 400 naming each bad field of a query or body: each unknown key on its own, at its own path. */
export function invalidInput(error: ZodError, where: 'query' | 'body'): ApiError {
  const noun = where === 'query' ? 'query parameter' : 'field';
  const details = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) =>
        issueDetail({ ...issue, keys: [key], path: [...issue.path, key] }, dotted, noun),
      );
    }
    const { path, message } = issueDetail(issue, dotted, noun);
    return [{ path, message: `${noun} '${path}': ${message}` }];
  });
  return new ApiError('invalid', details.map((d) => d.message).join('; '), details);
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return new ApiError('invalid', summary, details);
  }
  // body-parser marks its errors with a type; they are the client's fault.
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') {
    return new ApiError('invalid_json', `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (type === 'entity.too.large') return new ApiError('payload_too_large', 'the request body is too large');
  // A body that says it is compressed but does not inflate: body-parser passes the decoder's error
  // on as a 400 with no type of its own, whichever of zlib's or brotli's many codes it carries.
  const { status, expose } = (error ?? {}) as { status?: number; expose?: boolean };
  if (type === undefined && status === 400 && expose === true) {
    return new ApiError(
      'invalid',
      `the request body does not decompress as its Content-Encoding says: ${(error as Error).message}`,
    );
  }
  if (type !== undefined && (error as { status?: number }).status === 400) {
    return new ApiError('invalid', (error as Error).message);
  }
  // The database refusing writes (a full disk) is the server's state, not a fault in the request.
  if (isStorageFailure(error)) {
    return new ApiError(
      'unavailable',
      'the database cannot take writes now (disk full or failing); nothing was stored, send it again later',
    );
  }
  return new ApiError('internal', 'internal error; the server log has the details');
}
