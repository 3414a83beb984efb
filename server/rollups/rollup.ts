import type { Phases } from '../../probes/result.js';
import type { RunState } from '../../runs/record.js';
import { decodePhases, emptyPhases, encodePhases, PHASES, type PhaseHistograms } from './codec.js';
import { merge, record } from './histogram.js';

// A run's state belongs with the record of a run (runs/), shared with agents; re-exported for the rollups' users.
export type { RunState };

/** Counts, total-time extremes and per-phase histograms for one (check, vantage point, hour or day). */
export interface Rollup {
  ok: number;
  degraded: number;
  fail: number;
  skipped: number;
  minMs: number | null;
  maxMs: number | null;
  sumMs: number;
  phases: PhaseHistograms;
}

export function emptyRollup(): Rollup {
  return {
    ok: 0,
    degraded: 0,
    fail: 0,
    skipped: 0,
    minMs: null,
    maxMs: null,
    sumMs: 0,
    phases: emptyPhases(),
  };
}

/** Adds one run. A skipped run is counted but has no times. */
export function addRun(rollup: Rollup, state: RunState, phases: Phases | null): Rollup {
  rollup[state] += 1;
  if (state === 'skipped' || !phases) return rollup;
  for (const phase of PHASES) {
    const ms = phases[phase];
    if (ms !== null && ms !== undefined) record(rollup.phases[phase], ms);
  }
  const total = phases.totalMs;
  rollup.minMs = rollup.minMs === null ? total : Math.min(rollup.minMs, total);
  rollup.maxMs = rollup.maxMs === null ? total : Math.max(rollup.maxMs, total);
  rollup.sumMs += total;
  return rollup;
}

/** Exact: counts add, extremes compare, histograms add bucket by bucket. */
export function mergeRollups(into: Rollup, from: Rollup): Rollup {
  into.ok += from.ok;
  into.degraded += from.degraded;
  into.fail += from.fail;
  into.skipped += from.skipped;
  into.minMs = minOf(into.minMs, from.minMs);
  into.maxMs =
    from.maxMs === null ? into.maxMs : into.maxMs === null ? from.maxMs : Math.max(into.maxMs, from.maxMs);
  into.sumMs += from.sumMs;
  for (const phase of PHASES) merge(into.phases[phase], from.phases[phase]);
  return into;
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export interface RollupRow {
  ok: number;
  degraded: number;
  fail: number;
  skipped: number;
  min_ms: number | null;
  max_ms: number | null;
  sum_ms: number;
  phases: Uint8Array;
}

export function fromRow(row: RollupRow): Rollup {
  return {
    ok: row.ok,
    degraded: row.degraded,
    fail: row.fail,
    skipped: row.skipped,
    minMs: row.min_ms,
    maxMs: row.max_ms,
    sumMs: row.sum_ms,
    phases: decodePhases(row.phases),
  };
}

export function toRow(rollup: Rollup): RollupRow {
  return {
    ok: rollup.ok,
    degraded: rollup.degraded,
    fail: rollup.fail,
    skipped: rollup.skipped,
    min_ms: rollup.minMs,
    max_ms: rollup.maxMs,
    sum_ms: rollup.sumMs,
    phases: encodePhases(rollup.phases),
  };
}
