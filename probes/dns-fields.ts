import { z } from 'zod';
import { degradedMsSchema, strictObject } from '../common/fields.js';
import type { SpecFor } from './kind.js';
import { parseHostPort } from './target.js';

/** What a dns check may say beside the common check fields. */
export const dnsFields = {
  record: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT']).optional(),
  server: z
    .string()
    .refine((text) => typeof parseHostPort(text, 53) !== 'string', {
      error: (issue) => `'${String(issue.input)}' is not a DNS server address (expected host or host:port)`,
    })
    .optional(),
  expect: strictObject({
    answers: z.array(z.string().min(1)).min(1).optional(),
    degradedMs: degradedMsSchema.optional(),
  }).optional(),
};

export type DnsSpec = SpecFor<typeof dnsFields>;
