import { describe, expect, it } from 'vitest';
import { holdOf } from '../../server/timeline/hold.js';

describe("a run's hold", () => {
  it('is one interval and a tenth more, at most 30 s more, in whole milliseconds', () => {
    expect(holdOf({ every: '1m' })(0)).toBe(66_000);
    expect(holdOf({ every: '1h' })(0)).toBe(3_630_000);
    // 1,234 ms and a tenth is 1,357.4: stored as whole milliseconds.
    expect(holdOf({ every: '1234ms' })(0)).toBe(1_357);
    // Every 15 minutes by cron, in London time: the next run is 15 minutes on.
    const at = Date.UTC(2026, 9, 25, 0, 15);
    expect(holdOf({ cron: '*/15 * * * *' })(at)).toBe(15 * 60_000 + 30_000);
  });
});
