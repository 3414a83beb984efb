import type { ProbeState } from './result.js';

/** A run that passed but took longer than its degraded threshold is degraded, still ok. */
export function stateOf(failed: boolean, totalMs: number, degradedMs: number | undefined): ProbeState {
  if (failed) return 'fail';
  return degradedMs !== undefined && totalMs > degradedMs ? 'degraded' : 'ok';
}
