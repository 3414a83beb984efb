import type { Check } from '../config/schema.js';
import { timeoutMs } from '../estate/rows.js';
import { planOf } from '../scheduler/plan.js';
import { SERVER_VANTAGE_POINT } from './record.js';

export type VantageState = 'ok' | 'degraded' | 'fail' | 'unknown';

export interface VantagePointState {
  vantagePoint: string;
  state: VantageState;
  /** When the newest result there started (ISO 8601), or null before the first. */
  lastRunAt: string | null;
  /** Why the state is unknown. */
  reason?: string;
}

/** Runs missed in a row before a vantage point's state is unknown rather than its last result. */
export const SILENT_RUNS = 3;

/**
 * The state of a check at each place it should run from. A vantage point whose results stopped
 * (an agent that went quiet, a link to the server that is down) is `unknown`, never `down`: silence
 * is not a failure of the system, and unknown time is reported apart from failures.
 */
export function vantagePointStates(
  check: Check,
  latest: { vantagePoint: string; result: unknown }[],
  now: number,
): VantagePointState[] {
  const expected = check.from && check.from.length > 0 ? check.from : [SERVER_VANTAGE_POINT];
  const plan = planOf(check);
  const grace = timeoutMs(check);
  return expected.map((vantagePoint) => {
    const result = latest.find((entry) => entry.vantagePoint === vantagePoint)?.result as
      | { startedAt: string; state: VantageState }
      | undefined;
    if (!result) return { vantagePoint, state: 'unknown', lastRunAt: null, reason: 'no result yet' };
    const at = Date.parse(result.startedAt);
    let due = at;
    for (let i = 0; i < SILENT_RUNS; i++) due = plan(due);
    if (now > due + grace) {
      return {
        vantagePoint,
        state: 'unknown',
        lastRunAt: result.startedAt,
        reason: `no result for ${SILENT_RUNS} runs: the last started ${result.startedAt}`,
      };
    }
    return { vantagePoint, state: result.state, lastRunAt: result.startedAt };
  });
}

/**
 * How many runs a check should have made from `start` to `end` by its schedule: to weigh the runs
 * that arrived against it, so silent time shows as unknown rather than as failures or as nothing.
 * A cron schedule is counted run by run up to a bound, then by its average gap.
 */
export function expectedRuns(check: Check, start: number, end: number): number {
  if (end <= start) return 0;
  const plan = planOf(check);
  let count = 0;
  let at = plan(start - 1);
  for (; at < end && count < 2_000; count++) at = plan(at);
  if (at >= end || !Number.isFinite(at)) return count;
  const first = plan(start - 1);
  const gap = (at - first) / count;
  return Math.floor((end - first) / gap);
}

/** Runs expected at a vantage point but not received (its agent silent, say): unknown time, not failure. */
export function unknownRuns(
  check: Check,
  firstRun: number | undefined,
  from: number,
  now: number,
  runs: number,
) {
  if (firstRun === undefined) return { expected: 0, unknown: 0 };
  const expected = expectedRuns(check, Math.max(from, firstRun), now);
  return { expected, unknown: Math.max(0, expected - runs) };
}
