import { z } from 'zod';
import { degradedMsSchema, strictObject } from '../common/fields.js';
import type { SpecFor } from './kind.js';

/** What a tcp check may say beside the common check fields. */
export const tcpFields = {
  send: z.string().optional(),
  expectBanner: z.string().min(1).optional(),
  expect: strictObject({ degradedMs: degradedMsSchema.optional() }).optional(),
};

export type TcpSpec = SpecFor<typeof tcpFields>;
