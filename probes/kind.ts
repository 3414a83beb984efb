import type { z } from 'zod';

/**
 * What the estate file may say about one type of check: its own fields beside the common ones, and
 * how its target must look. A new probe type is one file exporting one of these plus a registry line.
 */
export interface ProbeKind<Shape extends z.ZodRawShape = z.ZodRawShape> {
  type: string;
  summary: string;
  /** An example target, for help texts and error messages. */
  example: string;
  /** Error text when the target does not parse for this type, else undefined. */
  checkTarget(target: string): string | undefined;
  fields: Shape;
}
