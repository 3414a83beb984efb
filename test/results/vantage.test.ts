import { describe, expect, it } from 'vitest';
import type { Plan } from '../../runs/plan.js';
import type { Check } from '../../server/config/schema.js';
import { expectedRuns, runPlanOf } from '../../server/results/vantage.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const MINUTE = 60_000;
const t0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const base = estateFrom(smallEstateYaml).checks[0] as Check;

/** Every run from the first at or after `start`, one by one, up to (not including) `end`. */
function walked(plan: Plan, start: number, end: number): number {
  let count = 0;
  for (let at = plan(start - 1); at < end; at = plan(at)) count += 1;
  return count;
}

describe('expected runs', () => {
  it('counts an every schedule in closed form exactly as walking its plan run by run', () => {
    for (const every of ['1m', '5m', '7m', '1h'] as const) {
      const plan = runPlanOf({ ...base, every });
      const first = plan.next(t0 - 1);
      const interval = plan.intervalMs ?? 0;
      expect(interval).toBeGreaterThan(0);
      // Starts and ends on a run, just before one and just after one, and spans past the walk's bound.
      const starts = [t0, first - 1, first, first + 1];
      const ends = [
        first,
        first + 1,
        first + interval,
        first + 3 * interval - 1,
        first + 3 * interval + 1,
        t0 + 7 * 86_400_000,
      ];
      for (const start of starts)
        for (const end of ends) expect(expectedRuns(plan, start, end)).toBe(walked(plan.next, start, end));
    }
  });

  it('counts nothing for an empty or reversed span', () => {
    const plan = runPlanOf(base);
    expect(expectedRuns(plan, t0, t0)).toBe(0);
    expect(expectedRuns(plan, t0 + MINUTE, t0)).toBe(0);
  });

  it('walks a cron schedule run by run', () => {
    const { every: _, ...rest } = base;
    const plan = runPlanOf({ ...rest, cron: '*/15 8-17 * * 1-5' });
    expect(plan.intervalMs).toBeUndefined();
    const monday = Date.UTC(2026, 10, 2, 0, 0, 0); // 2 November 2026, GMT
    expect(expectedRuns(plan, monday, monday + 86_400_000)).toBe(40);
    expect(expectedRuns(plan, monday, monday + 7 * 86_400_000)).toBe(200);
  });
});
