import { z } from 'zod';
import { strictObject } from '../server/config/fields.js';
import type { ProbeKind } from './kind.js';
import { parseHostPort } from './target.js';

export const tls = {
  type: 'tls',
  summary: 'a TLS handshake, with the certificate chain and its expiry',
  example: 'epr.example.org:443',
  checkTarget(target) {
    const parsed = parseHostPort(target, 443);
    return typeof parsed === 'string' ? parsed : undefined;
  },
  fields: {
    servername: z.string().min(1).optional(),
    ca: z.string().min(1).optional(),
    insecure: z.boolean().optional(),
    expect: strictObject({
      minDaysToExpiry: z.number().int().min(0).optional(),
      degradedMs: z.number().int().positive().optional(),
    }).optional(),
  },
} satisfies ProbeKind;
