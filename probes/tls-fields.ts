import { z } from 'zod';
import { boundedInt, degradedMsSchema, strictObject } from '../common/fields.js';
import type { SpecFor } from './kind.js';

/** What a tls check may say beside the common check fields. */
export const tlsFields = {
  servername: z.string().min(1).optional(),
  ca: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
  expect: strictObject({
    minDaysToExpiry: boundedInt(0, 3_650, ' days').optional(),
    degradedMs: degradedMsSchema.optional(),
  }).optional(),
};

export type TlsSpec = SpecFor<typeof tlsFields>;
