import express, { type Request, type RequestHandler } from 'express';
import { ApiError } from './errors.js';

/**
 * Request bodies, read only by the routes that take one and only as large and as deep as each needs.
 * A route with no body parser never reads what is sent to it, so no body can cost the server more than
 * the route it is sent to allows.
 */
export interface JsonLimits {
  /** The most bytes the body may take, once inflated. */
  bytes: number;
  /** The most arrays and objects that may be open at once. */
  depth: number;
}

/**
 * Parses a JSON body within its limits. Size is refused as it streams in (413), depth before parsing
 * (400): a megabyte of `[[[[…` parses slowly and later code walking it recursively (storing a result's
 * details) would overflow the stack, so it is refused by a linear scan instead.
 */
export function jsonBody(limits: JsonLimits): RequestHandler {
  const parse = express.json({
    limit: limits.bytes,
    inflate: true,
    verify: (_req, _res, bytes) => {
      if (nestsDeeper(bytes, limits.depth)) {
        throw new ApiError(
          'invalid',
          `the request body nests arrays and objects more than ${limits.depth} deep; nothing was read`,
        );
      }
    },
  });
  return (req, res, next) => {
    const refused = notUtf8Json(req);
    if (refused) next(refused);
    else parse(req, res, next);
  };
}

/** Parses a form body: the bytes a form needs, and no more than `fields` fields. */
export function formBody(limits: { bytes: number; fields: number }): RequestHandler {
  const parse = express.urlencoded({ extended: false, limit: limits.bytes, parameterLimit: limits.fields });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type !== 'parameters.too.many') return next(error);
      const most = limits.fields.toLocaleString('en-GB');
      next(new ApiError('payload_too_large', `the form has more than ${most} fields; nothing was read`));
    });
  };
}

/**
 * A body sent to a JSON route is JSON in UTF-8 (RFC 8259 says JSON between systems is): anything else
 * is named in a 415 before a byte of it is read. The depth scan reads bytes, which only UTF-8 keeps
 * apart from the brackets and quotes it looks for.
 */
function notUtf8Json(req: Request): ApiError | undefined {
  const type = req.get('Content-Type');
  if (req.is('application/json') === false) {
    return new ApiError(
      'unsupported_media_type',
      type === undefined
        ? 'the request body has no Content-Type: send it as application/json'
        : `the request body is ${type}: send it as application/json`,
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return new ApiError('unsupported_media_type', `charset '${charset}' is not taken: send JSON as UTF-8`);
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether UTF-8 JSON text opens more than `max` arrays and objects at once, brackets inside strings
 * aside. Malformed text is left for the parser to name.
 */
export function nestsDeeper(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
