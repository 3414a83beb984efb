import { z } from 'zod';
import { strictObject } from '../server/config/fields.js';
import type { ProbeKind } from './kind.js';
import { parseHostPort } from './target.js';

export const tcp = {
  type: 'tcp',
  summary: 'a TCP connection, optionally sending a line and expecting a banner',
  example: 'mail.example.org:25',
  checkTarget(target) {
    const parsed = parseHostPort(target);
    return typeof parsed === 'string' ? parsed : undefined;
  },
  fields: {
    send: z.string().optional(),
    expectBanner: z.string().min(1).optional(),
    expect: strictObject({ degradedMs: z.number().int().positive().optional() }).optional(),
  },
} satisfies ProbeKind;
