import { z } from 'zod';
import { strictObject } from '../server/config/fields.js';
import type { ProbeKind } from './kind.js';
import { isHostname, parseHostPort } from './target.js';

export const dns = {
  type: 'dns',
  summary: 'a DNS lookup against a given server or the system resolver',
  example: 'epr.example.org',
  checkTarget(target) {
    return isHostname(target)
      ? undefined
      : `'${target}' is not a domain name (expected a name such as epr.example.org)`;
  },
  fields: {
    record: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT']).optional(),
    server: z
      .string()
      .refine((text) => typeof parseHostPort(text, 53) !== 'string', {
        error: (issue) => `'${String(issue.input)}' is not a DNS server address (expected host or host:port)`,
      })
      .optional(),
    expect: strictObject({
      answers: z.array(z.string().min(1)).min(1).optional(),
      degradedMs: z.number().int().positive().optional(),
    }).optional(),
  },
} satisfies ProbeKind;
