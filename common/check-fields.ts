import { z } from 'zod';
import { cronSchema, durationSchema, idSchema, MAX_TIMEOUT, nameSchema, tagsSchema } from './fields.js';

/** The estate-file fields every check has, whatever its type; each probe type adds its own. */
export const checkCommon = {
  id: idSchema,
  name: nameSchema.optional(),
  system: idSchema,
  target: z.string().min(1, 'must not be empty'),
  every: durationSchema('1s', '1d').optional(),
  cron: cronSchema.optional(),
  timeout: durationSchema('10ms', MAX_TIMEOUT).optional(),
  /** Sites whose agents run the check; omitted, the central server runs it. */
  from: z.array(idSchema).min(1, 'list at least one site, or leave from out to run on the server').optional(),
  tags: tagsSchema,
};

/** The fields every check has, whatever its type (checked alone when the type is unknown). */
export const checkFieldsSchema = z.object(checkCommon);
