import cron from 'node-cron';
import { z } from 'zod';
import { type DurationText, durationMs, parseDuration } from './duration.js';
import { didYouMean } from './suggest.js';

/**
 * A strict object whose unknown keys are reported one per line, each with a "did you mean" hint
 * taken from the object's own keys. The locator splits the lines back onto the offending keys.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `unknown key '${key}'${didYouMean(key, known)}`).join('\n')
        : undefined,
  });
}

export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase slug of a-z, 0-9 and -, such as st-annes');

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

export const tagsSchema = z.array(idSchema).optional();

const DURATION_HELP = 'use a whole number above zero followed by ms, s, m, h or d (500ms, 30s, 5m, 2h, 1d)';

/** A duration of at least `min` and at most `max` (both themselves durations, such as `1s` and `1d`). */
export function durationSchema(min: DurationText, max: DurationText) {
  const [low, high] = [durationMs(min), durationMs(max)];
  return z.string().superRefine((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined)
      ctx.addIssue({ code: 'custom', message: `invalid duration '${text}': ${DURATION_HELP}` });
    else if (ms < low) ctx.addIssue({ code: 'custom', message: `must be at least ${min}, not ${text}` });
    else if (ms > high) ctx.addIssue({ code: 'custom', message: `must be at most ${max}, not ${text}` });
  });
}

/** A whole number from `min` to `max`, with the limits said in the estate file's own words. */
export function boundedInt(min: number, max: number, unit = '') {
  const shown = (n: number) =>
    `${n.toLocaleString('en-GB')}${n === 1 && unit.endsWith('bytes') ? ' byte' : unit}`;
  return z
    .number()
    .int()
    .min(min, `must be at least ${shown(min)}`)
    .max(max, `must be at most ${shown(max)}`);
}

/** The longest a check may wait for its answer. */
export const MAX_TIMEOUT: DurationText = '10m';

/** `expect.degradedMs`: slower than this is degraded; past the longest timeout it could never be. */
export const degradedMsSchema = boundedInt(1, durationMs(MAX_TIMEOUT), ' ms');

/** RFC 7230's token: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// CR and LF would end the header and start another (request splitting); NUL is refused by servers.
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/** Request headers: names that are RFC 7230 tokens, values without CR, LF or NUL. */
export const headersSchema = z.record(z.string(), z.string()).superRefine((headers, ctx) => {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `'${name}' is not a header name: use letters, digits and - (such as X-Api-Key), no spaces or colons`,
      });
    } else if (HEADER_VALUE_FORBIDDEN.test(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `the value of header '${name}' holds a line break or NUL, which a header cannot carry`,
      });
    }
  }
});

export const cronSchema = z.string().superRefine((expression, ctx) => {
  const result = cron.validateDetailed(expression);
  if (result.valid) return;
  const reasons = result.errors
    .map((e) => (e.field === 'expression' ? e.message : `${e.field} '${e.value}' is not valid`))
    .join('; ');
  ctx.addIssue({ code: 'custom', message: `invalid cron expression '${expression}': ${reasons}` });
});

export const dateSchema = z.string().refine(
  (text) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
  },
  { error: (issue) => `invalid date '${valueText(issue.input)}': use YYYY-MM-DD, such as 2026-10-01` },
);

/** A London wall-clock time to the minute, `YYYY-MM-DDTHH:MM`, as the estate file gives windows. */
export const localDateTimeSchema = z.string().refine(
  (text) => {
    const match = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
    if (!match) return false;
    const date = new Date(`${match[1]}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(match[1] as string);
  },
  {
    error: (issue) =>
      `invalid time '${valueText(issue.input)}': use YYYY-MM-DDTHH:MM in London time, such as 2026-11-14T22:00`,
  },
);

/**
 * A value from the file, as an error message quotes it. A mapping is never turned into text by its
 * own keys: `{ toString: [] }` would make String() throw.
 */
export function valueText(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
