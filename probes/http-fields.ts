import { z } from 'zod';
import { boundedInt, degradedMsSchema, headersSchema, strictObject } from '../common/fields.js';
import { patternProblem } from './body-pattern.js';
import { MAX_BODY_BYTES } from './http-defaults.js';
import type { SpecFor } from './kind.js';

const statusRange = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5]\d\d-[1-5]\d\d$/, "a status range is written '200-299'"),
]);

/** What an http check may say beside the common check fields. */
export const httpFields = {
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).optional(),
  headers: headersSchema.optional(),
  body: z.string().optional(),
  /** Default 5. 0 does not follow redirects: the 3xx itself is the answer the status is checked on. */
  maxRedirects: boundedInt(0, 20).optional(),
  /**
   * Default 1 MiB. Reading stops there; the assertions see the first maxBodyBytes of the body. At
   * most 16 MiB: each running check may hold that much, and more is no probe's business.
   */
  maxBodyBytes: boundedInt(1, MAX_BODY_BYTES, ' bytes').optional(),
  insecure: z.boolean().optional(),
  ca: z.string().min(1).optional(),
  servername: z.string().min(1).optional(),
  expect: strictObject({
    /** Default: any 2xx. */
    status: z.array(statusRange).min(1).optional(),
    bodyContains: z.string().min(1).optional(),
    /** RE2 syntax, matched in linear time (see body-pattern.ts). */
    bodyMatches: z
      .string()
      .superRefine((source, ctx) => {
        const problem = patternProblem(source);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    json: strictObject({
      path: z.string().regex(/^\$(\.[\w-]+|\[\d+\])*$/, 'a JSON path looks like $.status or $.items[0].name'),
      equals: z.unknown(),
    }).optional(),
    degradedMs: degradedMsSchema.optional(),
  }).optional(),
};

export type HttpSpec = SpecFor<typeof httpFields>;
export type HttpExpect = NonNullable<HttpSpec['expect']>;
