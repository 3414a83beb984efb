import { z } from 'zod';
import { strictObject } from '../server/config/fields.js';
import type { SpecFor } from './kind.js';

const statusRange = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5]\d\d-[1-5]\d\d$/, "a status range is written '200-299'"),
]);

/** What an http check may say beside the common check fields. */
export const httpFields = {
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  /** Default 5. 0 does not follow redirects: the 3xx itself is the answer the status is checked on. */
  maxRedirects: z.number().int().min(0).max(20).optional(),
  /** Default 1 MiB. Reading stops there; the assertions see the first maxBodyBytes of the body. */
  maxBodyBytes: z.number().int().min(1).optional(),
  insecure: z.boolean().optional(),
  ca: z.string().min(1).optional(),
  servername: z.string().min(1).optional(),
  expect: strictObject({
    /** Default: any 2xx. */
    status: z.array(statusRange).min(1).optional(),
    bodyContains: z.string().min(1).optional(),
    bodyMatches: z
      .string()
      .refine(isRegExp, { error: (issue) => `'${String(issue.input)}' is not a valid regular expression` })
      .optional(),
    json: strictObject({
      path: z.string().regex(/^\$(\.[\w-]+|\[\d+\])*$/, 'a JSON path looks like $.status or $.items[0].name'),
      equals: z.unknown(),
    }).optional(),
    degradedMs: z.number().int().positive().optional(),
  }).optional(),
};

export type HttpSpec = SpecFor<typeof httpFields>;
export type HttpExpect = NonNullable<HttpSpec['expect']>;

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
