import type { z } from 'zod';
import type { checkFieldsSchema } from '../common/check-fields.js';
import type { ProbeResult } from './result.js';

/**
 * How one type of check runs, and how its target must look. A probe file exports one of these; its
 * estate-file fields live apart (`<type>-fields.ts`), so running probes (an agent does nothing else)
 * never loads the schema library.
 */
export interface ProbeRunner<Type extends string = string> {
  /** The name the estate file uses; each kind gives it as a literal, so checks narrow by it. */
  type: Type;
  summary: string;
  /** An example target, for help texts and error messages. */
  example: string;
  /** Error text when the target does not parse for this type, else undefined. */
  checkTarget(target: string): string | undefined;
  /**
   * Runs one check of this type. Each kind takes its own spec, so the parameter is `never` here;
   * probes/run.ts checks that every kind's run is a `ProbeFn` of its own type.
   */
  run(spec: never, signal: AbortSignal): Promise<ProbeResult>;
}

/**
 * One type of check: how it runs, and what the estate file may say about it beside the common
 * fields. A new probe type is a probe file and a fields file, and a line in probes/runners.ts and in
 * the registry; probes/check-schema.ts derives the type's check schema from the registry.
 */
export interface ProbeKind<Type extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape>
  extends ProbeRunner<Type> {
  fields: Shape;
}

/**
 * A check of the kind with these fields, as the estate file gives it, for a kind's own run. Typed
 * from the kind's own fields and the common ones rather than as `SpecOf`, because `Check` is built
 * from the registry of kinds and so cannot be named inside one; probes/run.ts checks that the two
 * agree.
 */
export type SpecFor<Shape extends z.ZodRawShape> = z.infer<typeof checkFieldsSchema> &
  z.infer<z.ZodObject<Shape>>;
