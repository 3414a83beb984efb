import { allWindows } from '../principles/windows.js';
import type { EngineState } from './engine-state.js';

/** How far back the latency principles' burn is read at a start: the longest short window of a pair. */
export const READ_BACK_MS = 6 * 60 * 60_000;

const TURN_MS = 20;

/**
 * At a start: the last 6 hours of the runs of every check a latency principle reaches, read back from
 * the stored results a check at a time and counted in the order they ran, so every pair's short window
 * (and the fast pairs' long ones) is known at once rather than after hours of watching.
 */
export async function readBackLatencyBurn(state: EngineState): Promise<void> {
  const { results, clock } = state.deps;
  const estate = state.estate;
  const checkIds = state.latencyBurn.checkIds();
  if (!results || !estate || checkIds.length === 0) return;
  const now = clock.now();
  const from = now - READ_BACK_MS;
  const windows = await allWindows(estate, state.deps.maintenance, from, now + 1);
  const scene = { scene: state.scene(estate, now, windows), silent: state.silent };
  let turn = performance.now();
  for (const checkId of checkIds) {
    state.latencyBurn.add(await results.totalTimes(checkId, from, now + 1), scene, now);
    // Requests and probes get a turn every 20 ms: a large estate's hours of runs take seconds to read.
    if (performance.now() - turn < TURN_MS) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    turn = performance.now();
  }
  state.latencyBurn.readBack(from);
}
