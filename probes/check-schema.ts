import { z } from 'zod';
import { checkCommon } from '../common/check-fields.js';
import { strictObject } from '../common/fields.js';
import type { ProbeKind } from './kind.js';
import { type ProbeType, probeKinds, probeTypes } from './registry.js';
import type { ProbeResult } from './result.js';

/**
 * A check as the estate file gives it: the common check fields and its probe type's own, one
 * variant per registered type. It lives with the probes because the registry of types defines it;
 * the server's estate schema takes it from here, so nothing here knows the server.
 */

/** The strict schema for checks of one probe type: the common check fields plus the type's own. */
function checkVariant<Type extends string, Shape extends z.ZodRawShape>(kind: ProbeKind<Type, Shape>) {
  return strictObject({
    ...checkCommon,
    type: z.literal(kind.type),
    target: checkCommon.target.superRefine((target, ctx) => {
      const problem = kind.checkTarget(target);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; for example ${kind.example}` });
    }),
    ...kind.fields,
  });
}

/** Each registered probe type's schema, typed by its own kind so that a parsed check narrows by its type. */
type CheckVariant = {
  [T in ProbeType]: ReturnType<typeof checkVariant<T, (typeof probeKinds)[T]['fields']>>;
}[ProbeType];

/**
 * One strict schema per probe type, in registry order: a new kind in the registry is a new variant.
 * The compiler cannot follow a walk over the registry's keys, so the cast restates, by the mapped
 * type above, what checkVariant gives for each kind.
 */
const checkVariants = probeTypes.map((type) => checkVariant<string, z.ZodRawShape>(probeKinds[type])) as [
  CheckVariant,
  ...CheckVariant[],
];

export const checkSchema = z.discriminatedUnion('type', checkVariants).superRefine((check, ctx) => {
  if (check.every !== undefined && check.cron !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give either every or cron, not both' });
  }
});

export type Check = z.infer<typeof checkSchema>;

/** The parsed estate-file check of one type: its common fields, its kind's own fields and its type. */
export type SpecOf<T extends Check['type']> = Extract<Check, { type: T }>;

/** The one probe signature: a spec from the estate file and a signal that ends the run. */
export type ProbeFn<T extends Check['type']> = (spec: SpecOf<T>, signal: AbortSignal) => Promise<ProbeResult>;
