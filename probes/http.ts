import { z } from 'zod';
import { strictObject } from '../server/config/fields.js';
import type { ProbeKind } from './kind.js';

const statusRange = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5]\d\d-[1-5]\d\d$/, "a status range is written '200-299'"),
]);

export const http = {
  type: 'http',
  summary: 'an HTTP or HTTPS request, timed phase by phase',
  example: 'https://epr.example.org/login',
  checkTarget(target) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return `'${target}' is not a URL (expected http://host/path or https://host/path)`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return `'${target}' must start with http:// or https://`;
    }
    return undefined;
  },
  fields: {
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    maxRedirects: z.number().int().min(0).max(20).optional(),
    maxBodyBytes: z.number().int().min(1).optional(),
    insecure: z.boolean().optional(),
    ca: z.string().min(1).optional(),
    servername: z.string().min(1).optional(),
    expect: strictObject({
      status: z.array(statusRange).min(1).optional(),
      bodyContains: z.string().min(1).optional(),
      bodyMatches: z
        .string()
        .refine(isRegExp, { error: (issue) => `'${String(issue.input)}' is not a valid regular expression` })
        .optional(),
      json: strictObject({
        path: z
          .string()
          .regex(/^\$(\.[\w-]+|\[\d+\])*$/, 'a JSON path looks like $.status or $.items[0].name'),
        equals: z.unknown(),
      }).optional(),
      degradedMs: z.number().int().positive().optional(),
    }).optional(),
  },
} satisfies ProbeKind;

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
