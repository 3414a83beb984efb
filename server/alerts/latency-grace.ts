import type { Check } from '../config/schema.js';
import type { LatencyState, LatencyWindows } from './latency-windows.js';
import type { RoundWaits } from './localise-grace.js';

/** What lets a slow series wait for the rest of its round before its host's incident. */
export interface LatencyRounds {
  waits: RoundWaits;
  graceMs: (check: Check) => number;
  /** Whether the runs judged just arrived: only they start a wait (never a backlog, nor runs read back). */
  fresh: boolean;
}

/**
 * Whether a series slow at its site waits before its host's incident, as a failing one does: while
 * another vantage point of the check, known and not slow, has not yet sent a run as recent as this
 * series' latest, up to the grace. Sites' batches of a system-wide slowdown arrive seconds apart, and
 * the first must not open its host's incident only to hand it over to the owner's moments later.
 */
export function latencyWaits(
  rounds: LatencyRounds | undefined,
  windows: LatencyWindows,
  check: Check,
  key: string,
  points: readonly { key: string; latency: LatencyState }[],
  now: number,
): boolean {
  if (!rounds) return false;
  const mine = windows.latestAt(key) ?? Number.NEGATIVE_INFINITY;
  const othersBehind = points.some(
    (point) =>
      point.key !== key &&
      point.latency !== 'unknown' &&
      point.latency !== 'slow' &&
      (windows.latestAt(point.key) ?? Number.NEGATIVE_INFINITY) < mine,
  );
  return rounds.waits.holds(key, othersBehind, { now, graceMs: rounds.graceMs(check), fresh: rounds.fresh });
}
