import type { RunRecord } from '../../runs/record.js';
import type { Check, Estate } from '../config/schema.js';
import { allWindows, maintenanceOf } from '../principles/windows.js';
import type { EngineState } from './engine-state.js';
import { lookupOf } from './estate-lookup.js';
import type { RunScene } from './latency-burn.js';

/** How far back the latency principles' burn is read at a start: the longest short window of a pair. */
export const READ_BACK_MS = 6 * 60 * 60_000;

const TURN_MS = 20;

/** Counts runs (in the order they started) into the latency principles' burn, outside maintenance. */
export async function countLatencyBurn(
  state: EngineState,
  estate: Estate,
  ordered: readonly RunRecord[],
  now: number,
): Promise<void> {
  const from = (ordered[0] as RunRecord).startedAt;
  state.latencyBurn.add(ordered, await sceneOf(state, estate, from, now), now);
}

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
  const scene = await sceneOf(state, estate, from, now);
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

async function sceneOf(state: EngineState, estate: Estate, from: number, now: number): Promise<RunScene> {
  const windows = await allWindows(estate, state.deps.maintenance, from, now + 1);
  const lookup = lookupOf(estate);
  const inMaintenance = (check: Check, vantagePoint: string, at: number) => {
    if (windows.length === 0) return false;
    const system = lookup.system(check.system);
    const site = lookup.site(vantagePoint);
    const spans = maintenanceOf(windows, { check, ...(system ? { system } : {}), ...(site ? { site } : {}) });
    return spans.some((span) => span.from <= at && at < span.to);
  };
  return { estate, inMaintenance, silent: state.silent };
}
