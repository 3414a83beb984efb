import { describe, expect, it } from 'vitest';
import { cronPlan, cronRuns } from '../../runs/plan.js';

/** Every match in [from, to) by stepping the scheduler's own plan, one run at a time. */
function stepped(expression: string, from: number, to: number): number[] {
  const next = cronPlan(expression);
  const runs: number[] = [];
  for (let at = next(from - 1); at < to; at = next(at)) runs.push(at);
  return runs;
}

describe('cronRuns: every match of a cron expression in a span, an hour at a time', () => {
  // Both of 2026's daylight-saving changes in London: 29 March (01:00 GMT → 02:00 BST) and
  // 25 October (02:00 BST → 01:00 GMT).
  const spans = [
    { from: Date.UTC(2026, 2, 27), to: Date.UTC(2026, 3, 1) },
    { from: Date.UTC(2026, 9, 23), to: Date.UTC(2026, 9, 28) },
  ];
  for (const expression of ['*/5 * * * *', '0 6 * * 0', '30 1 * * *', '0 22 1 * *', '15 9-17 * * 1-5']) {
    it(`matches the scheduler's plan for "${expression}" across the clock changes`, () => {
      for (const { from, to } of spans)
        expect(cronRuns(expression, from, to)).toEqual(stepped(expression, from, to));
    });
  }

  it('skips 01:30 on the morning the clocks go forward, and runs at both 01:30s when they go back, as the plan does', () => {
    const spring = cronRuns('30 1 * * *', Date.UTC(2026, 2, 29), Date.UTC(2026, 2, 30));
    expect(spring).toEqual([]);
    const autumn = cronRuns('30 1 * * *', Date.UTC(2026, 9, 24, 12), Date.UTC(2026, 9, 25, 12));
    expect(autumn.map((at) => new Date(at).toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
  });
});
