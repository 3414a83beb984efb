import type { Check, ProbeFn } from './check-schema.js';
import type { ProbeType } from './registry.js';
import type { ProbeResult } from './result.js';
import { probeRunners } from './runners.js';
import { emptyPhases } from './timing.js';

/**
 * The compiler's proof that each kind is registered under its own type and that its run takes the
 * parsed check of that type (so the kind's own spec type agrees with the schema's variant for it).
 */
const runners: { [T in ProbeType]: { type: T; run: ProbeFn<T> } } = probeRunners;

/** The run of one type, typed by it: indexing the mapped type with a type parameter keeps the pairing. */
function runnerOf<T extends ProbeType>(type: T): ProbeFn<T> {
  return runners[type].run;
}

/**
 * Runs one check now, through the runners. The signal is the caller's: it carries the check's
 * timeout (AbortSignal.timeout) and any earlier stop. Never throws.
 */
export async function runProbe(check: Check, signal: AbortSignal): Promise<ProbeResult> {
  const startedAt = Date.now();
  const started = performance.now();
  try {
    return await runnerOf(check.type)(check, signal);
  } catch (error) {
    // Probes return their failures; reaching here is a bug in one, reported rather than thrown.
    return {
      startedAt: new Date(startedAt).toISOString(),
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
