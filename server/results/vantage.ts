import { DEFAULT_INTERVAL, timeoutMs } from '../../common/check-defaults.js';
import { durationMs } from '../../common/duration.js';
import { type Plan, planOf } from '../../runs/plan.js';
import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Check } from '../config/schema.js';

export type VantageState = 'ok' | 'degraded' | 'fail' | 'unknown';

/** A check's state at one place it should run from; `unknown` is silence, never a failure. */
export interface VantagePointState {
  /** 'server' or a site id. */
  vantagePoint: string;
  state: VantageState;
  /** When the newest result there started (ISO 8601), or null before the first. */
  lastRunAt: string | null;
  /** Why the state is unknown, in English. */
  reason?: string;
  /** With lastRunAt, when results stopped: at least this many runs in a row are missing. */
  missedRuns?: number;
}

/** Runs missed in a row before a vantage point's state is unknown rather than its last result. */
export const SILENT_RUNS = 3;

/** A check's plan, worked out once per request, and its interval when its runs are evenly spaced. */
export interface RunPlan {
  next: Plan;
  /** Set for an `every` schedule: its runs are then counted in closed form. */
  intervalMs?: number;
}

export function runPlanOf(check: Check): RunPlan {
  const next = planOf(check);
  return check.cron === undefined
    ? { next, intervalMs: durationMs(check.every ?? DEFAULT_INTERVAL) }
    : { next };
}

/**
 * The state of a check at each place it should run from. A vantage point whose results stopped
 * (an agent that went quiet, a link to the server that is down) is `unknown`, never `down`: silence
 * is not a failure of the system, and unknown time is reported apart from failures.
 */
export function vantagePointStates(
  check: Check,
  latest: { vantagePoint: string; result: unknown }[],
  now: number,
  plan: RunPlan = runPlanOf(check),
): VantagePointState[] {
  const expected = check.from && check.from.length > 0 ? check.from : [SERVER_VANTAGE_POINT];
  const grace = timeoutMs(check);
  return expected.map((vantagePoint) => {
    const result = latest.find((entry) => entry.vantagePoint === vantagePoint)?.result as
      | { startedAt: string; state: VantageState }
      | undefined;
    if (!result) return { vantagePoint, state: 'unknown', lastRunAt: null, reason: 'no result yet' };
    const at = Date.parse(result.startedAt);
    let due = at;
    for (let i = 0; i < SILENT_RUNS; i++) due = plan.next(due);
    if (now > due + grace) {
      return {
        vantagePoint,
        state: 'unknown',
        lastRunAt: result.startedAt,
        reason: `no result for ${SILENT_RUNS} runs: the last started ${result.startedAt}`,
        missedRuns: SILENT_RUNS,
      };
    }
    return { vantagePoint, state: result.state, lastRunAt: result.startedAt };
  });
}

/**
 * How many runs a check should have made from `start` to `end` by its schedule: to weigh the runs
 * that arrived against it, so silent time shows as unknown rather than as failures or as nothing.
 * Evenly spaced runs are counted exactly; a cron schedule run by run up to a bound, then by its
 * average gap.
 */
export function expectedRuns(plan: RunPlan, start: number, end: number): number {
  if (end <= start) return 0;
  const first = plan.next(start - 1);
  if (!(first < end)) return 0;
  // Runs at first, first + interval, … before end.
  if (plan.intervalMs !== undefined) return Math.ceil((end - first) / plan.intervalMs);
  let count = 0;
  let at = first;
  for (; at < end && count < 2_000; count++) at = plan.next(at);
  if (at >= end || !Number.isFinite(at)) return count;
  const gap = (at - first) / count;
  return Math.floor((end - first) / gap);
}

/** Runs expected at a vantage point but not received (its agent silent, say): unknown time, not failure. */
export function unknownRuns(
  plan: RunPlan,
  firstRun: number | undefined,
  from: number,
  now: number,
  runs: number,
) {
  if (firstRun === undefined) return { expected: 0, unknown: 0 };
  const expected = expectedRuns(plan, Math.max(from, firstRun), now);
  return { expected, unknown: Math.max(0, expected - runs) };
}
