import cron from 'node-cron';
import { z } from 'zod';
import { parseDuration } from './duration.js';
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

export const durationSchema = z.string().refine((text) => parseDuration(text) !== undefined, {
  error: (issue) =>
    `invalid duration '${String(issue.input)}': use a whole number above zero followed by s, m, h or d (30s, 5m, 2h, 1d)`,
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
  { error: (issue) => `invalid date '${String(issue.input)}': use YYYY-MM-DD, such as 2026-10-01` },
);
