import type { Check } from '../server/config/schema.js';
import { type ProbeType, probeKinds } from './registry.js';
import type { ProbeFn, ProbeResult } from './result.js';
import { emptyPhases } from './timing.js';

/** The compiler's proof that each kind's run takes the spec of its own type. */
const runners: { [T in ProbeType]: { run: ProbeFn<T> } } = probeKinds;

/**
 * Runs one check now, through the registry. The signal is the caller's: it carries the check's
 * timeout (AbortSignal.timeout) and any earlier stop. Never throws.
 */
export async function runProbe(check: Check, signal: AbortSignal): Promise<ProbeResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  try {
    // `runners` pairs each type with its own run; TypeScript cannot follow that pairing through a
    // union of types, so the call is made through the common signature.
    const run = runners[check.type].run as (spec: Check, signal: AbortSignal) => Promise<ProbeResult>;
    return await run(check, signal);
  } catch (error) {
    // Probes return their failures; reaching here is a bug in one, reported rather than thrown.
    return {
      startedAt,
      ok: false,
      state: 'fail',
      error: {
        class: 'invalid',
        message: `the ${check.type} probe failed unexpectedly: ${(error as Error).message}`,
      },
      phases: { ...emptyPhases(), totalMs: performance.now() - started },
    };
  }
}
