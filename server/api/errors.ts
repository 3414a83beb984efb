import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ZodError, type z } from 'zod';
import type { Logger } from '../../common/logger.js';
import { isStorageFailure } from '../db/failure.js';

export type ErrorCode =
  | 'invalid'
  | 'invalid_json'
  | 'unauthorised'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'range_not_satisfiable'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  invalid: 400,
  invalid_json: 400,
  unauthorised: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
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
    const apiError = toApiError(error, req);
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
    // A static file refused half way has its own type and validators set already: they are not this answer's.
    res.removeHeader('ETag');
    res.removeHeader('Last-Modified');
    res.status(statusOf[apiError.code]).type('application/json').json({ error: body });
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

function toApiError(error: unknown, req: Request): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return new ApiError('invalid', summary, details);
  }
  // Express's router and its body parsers and static files (http-errors) mark the client's mistakes
  // with a 4xx status; anything else is the server's own fault.
  const marked = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const status = marked.status ?? marked.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return clientError(error, status, req);
  // The database refusing writes (a full disk) is the server's state, not a fault in the request.
  if (isStorageFailure(error)) {
    return new ApiError(
      'unavailable',
      'the database cannot take writes now (disk full or failing); nothing was stored, send it again later',
    );
  }
  return new ApiError('internal', 'internal error; the server log has the details');
}

/** The codes the libraries' 4xx statuses stand for; any other 4xx is a 400. */
const codeOf = new Map<number, ErrorCode>(
  (Object.entries(statusOf) as [ErrorCode, number][])
    .filter(([code]) => code !== 'invalid_json')
    .map(([code, status]) => [status, code]),
);

/**
 * A client's mistake caught by a library, in the client's words. Library messages are not passed on
 * as they are: some carry the server's file paths (a missing static file's is its full path on disk).
 */
function clientError(error: unknown, status: number, req: Request): ApiError {
  const { type, limit, charset, encoding, message, errno } = error as {
    type?: string;
    limit?: number;
    charset?: string;
    encoding?: string;
    message?: string;
    errno?: number;
  };
  const path = req.originalUrl.split('?')[0];
  if (error instanceof URIError) {
    return new ApiError('invalid', `the path ${path} is not valid percent-encoding`);
  }
  switch (type) {
    case 'entity.parse.failed':
      return new ApiError('invalid_json', `the request body is not valid JSON: ${message}`);
    case 'entity.too.large':
      return new ApiError(
        'payload_too_large',
        `the request body is too large: ${req.method} ${path} takes at most ${bytes(limit)}`,
      );
    case 'parameters.too.many':
      return new ApiError('payload_too_large', `the form has more fields than ${req.method} ${path} takes`);
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', `charset '${charset}' is not taken: send UTF-8`);
    case 'encoding.unsupported':
      return new ApiError(
        'unsupported_media_type',
        `Content-Encoding '${encoding}' is not taken: send gzip, deflate, br or none`,
      );
    case 'request.aborted':
      return new ApiError('invalid', 'the request ended before its body did');
    case 'request.size.invalid':
      return new ApiError('invalid', 'the request body is not as long as its Content-Length says');
  }
  // A body that says it is compressed but does not inflate: body-parser passes the decoder's error
  // on as a 400 with no type of its own, whichever of zlib's or brotli's many codes it carries; every
  // one has an errno.
  if (type === undefined && status === 400 && typeof errno === 'number') {
    return new ApiError(
      'invalid',
      `the request body does not decompress as its Content-Encoding says: ${message}`,
    );
  }
  const code = codeOf.get(status) ?? 'invalid';
  if (code === 'not_found') return new ApiError('not_found', `nothing at ${req.method} ${path}`);
  return new ApiError(code, `${STATUS_CODES[statusOf[code]]}: ${req.method} ${path}`);
}

function bytes(count: number | undefined): string {
  if (count === undefined) return 'what it needs';
  if (count >= 1024 * 1024) return `${(count / 1024 / 1024).toLocaleString('en-GB')} MB`;
  if (count >= 1024) return `${(count / 1024).toLocaleString('en-GB')} KB`;
  return `${count.toLocaleString('en-GB')} bytes`;
}
