import { z } from 'zod';
import { strictObject } from '../server/config/fields.js';
import type { SpecFor } from './kind.js';

/** What a tls check may say beside the common check fields. */
export const tlsFields = {
  servername: z.string().min(1).optional(),
  ca: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  expect: strictObject({
    minDaysToExpiry: z.number().int().min(0).optional(),
    degradedMs: z.number().int().positive().optional(),
  }).optional(),
};

export type TlsSpec = SpecFor<typeof tlsFields>;
