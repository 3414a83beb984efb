import { describe, expect, it } from 'vitest';
import { PeriodError, parsePeriod } from '../../server/principles/period.js';

const now = Date.UTC(2026, 11, 3, 12, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('parsePeriod', () => {
  it('reads a rolling duration as ending now', () => {
    const p = parsePeriod('30d', now);
    expect([iso(p.from), iso(p.to), p.rollingMs]).toEqual([
      '2026-11-03T12:00:00.000Z',
      '2026-12-03T12:00:00.000Z',
      30 * 86_400_000,
    ]);
    expect(parsePeriod('1h', now).from).toBe(now - 3_600_000);
    expect(parsePeriod('400d', now).from).toBe(now - 400 * 86_400_000);
    // Any way a principle's window may be written.
    expect(parsePeriod('90m', now).from).toBe(now - 90 * 60_000);
    expect(parsePeriod('3600s', now).from).toBe(now - 3_600_000);
  });

  it('starts a month at London midnight: October 2026 begins in summer time and ends in winter time', () => {
    const p = parsePeriod('2026-10', now);
    expect([iso(p.from), iso(p.to), iso(p.end)]).toEqual([
      '2026-09-30T23:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    ]);
    expect(p.rollingMs).toBeUndefined();
    expect(iso(parsePeriod('2026-04', now).from)).toBe('2026-03-31T23:00:00.000Z');
    expect(iso(parsePeriod('2026-03', now).to)).toBe('2026-03-31T23:00:00.000Z');
  });

  it('reads quarters and years, and ends a period not yet over now', () => {
    const q3 = parsePeriod('2026-Q3', now);
    expect([iso(q3.from), iso(q3.to)]).toEqual(['2026-06-30T23:00:00.000Z', '2026-09-30T23:00:00.000Z']);
    const q4 = parsePeriod('2026-Q4', now);
    expect([iso(q4.from), iso(q4.to), iso(q4.end)]).toEqual([
      '2026-09-30T23:00:00.000Z',
      iso(now),
      '2027-01-01T00:00:00.000Z',
    ]);
    const year = parsePeriod('2025', now);
    expect([iso(year.from), iso(year.to)]).toEqual(['2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(iso(parsePeriod('2026-12', now).to)).toBe(iso(now));
  });

  it.each([
    ['30x', 'not understood'],
    ['2026-13', 'not understood'],
    ['2026-Q5', 'not understood'],
    ['', 'not understood'],
    ['0h', 'from 1h to 400d'],
    ['401d', 'from 1h to 400d'],
    ['59m', 'from 1h to 400d'],
    ['9601h', 'from 1h to 400d'],
    ['2027', 'has not begun'],
  ])('refuses %j (%s), naming the period', (text, why) => {
    expect(() => parsePeriod(text, now)).toThrow(PeriodError);
    expect(() => parsePeriod(text, now)).toThrow(why);
    expect(() => parsePeriod(text, now)).toThrow(`period '${text}'`);
  });

  it('names every form it accepts when it cannot read one', () => {
    expect(() => parsePeriod('last month', now)).toThrow(/30d.*2026-11.*2026-Q4.*2026/);
  });
});
