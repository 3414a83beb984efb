import { DEFAULT_INTERVAL } from '../../common/check-defaults.js';
import { durationMs } from '../../common/duration.js';
import { cronPlan } from '../../runs/plan.js';
import type { Check } from '../config/schema.js';

/**
 * A run's state holds until the next run, and at most one interval. A run starts a little after its
 * planned time (the scheduler's lateness, an agent's clock), so the interval is allowed a tenth more,
 * at most 30 s: without it a minute check would show slivers of unknown time between punctual runs.
 */
export function holdOf(check: Pick<Check, 'every' | 'cron'>): (at: number) => number {
  if (check.cron !== undefined) {
    const next = cronPlan(check.cron);
    return (at) => withGrace(next(at) - at);
  }
  const interval = withGrace(durationMs(check.every ?? DEFAULT_INTERVAL));
  return () => interval;
}

// Whole milliseconds: stretches are stored as integers.
const withGrace = (ms: number) => ms + Math.min(Math.round(ms / 10), 30_000);
