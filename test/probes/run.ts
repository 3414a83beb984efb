import { timeoutMs } from '../../common/check-defaults.js';
import { type Check, checkSchema } from '../../probes/check-schema.js';
import type { ProbeResult } from '../../probes/result.js';
import { runProbe } from '../../probes/run.js';

/** A check as the estate file would hold it, validated by the estate schema so tests use only what it allows. */
export function check(fields: { type: Check['type']; target: string } & Record<string, unknown>): Check {
  return checkSchema.parse({ id: 'test-check', system: 'test-system', ...fields });
}

/** Runs a check the way the scheduler does, with the check's timeout as the signal, and times the call. */
export async function probe(
  fields: Parameters<typeof check>[0],
): Promise<ProbeResult & { elapsedMs: number }> {
  const valid = check(fields);
  const started = performance.now();
  const result = await runProbe(valid, AbortSignal.timeout(timeoutMs(valid)));
  return { ...result, elapsedMs: performance.now() - started };
}
