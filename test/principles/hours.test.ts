import { describe, expect, it } from 'vitest';
import { coreHourSpans, DEFAULT_CORE_HOURS } from '../../principles/hours.js';
import { length } from '../../principles/intervals.js';
import { dayOfDate, londonOffsetMs, londonTime } from '../../principles/london.js';

const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;

describe('London time', () => {
  it('names the instant of a wall-clock time on each side of the clocks changing', () => {
    // 2026: clocks go forward at 01:00 UTC on 29 March and back at 01:00 UTC on 25 October.
    expect(iso(londonTime(dayOfDate('2026-03-27'), 8 * 60))).toBe('2026-03-27T08:00:00.000Z');
    expect(iso(londonTime(dayOfDate('2026-03-30'), 8 * 60))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(londonTime(dayOfDate('2026-10-23'), 18 * 60 + 30))).toBe('2026-10-23T17:30:00.000Z');
    expect(iso(londonTime(dayOfDate('2026-10-26'), 18 * 60 + 30))).toBe('2026-10-26T18:30:00.000Z');
    // The skipped hour is the hour after; the repeated hour is its second time.
    expect(iso(londonTime(dayOfDate('2026-03-29'), 90))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(londonTime(dayOfDate('2026-10-25'), 90))).toBe('2026-10-25T01:30:00.000Z');
    expect(londonOffsetMs(Date.UTC(2026, 6, 1))).toBe(3_600_000);
    expect(londonOffsetMs(Date.UTC(2026, 0, 1))).toBe(0);
  });
});

describe('core hours', () => {
  it('are Monday to Friday 08:00 to 18:30 London time, across the autumn change', () => {
    // Friday 23 October (BST) to Monday 26 October (GMT) 2026.
    const spans = coreHourSpans(DEFAULT_CORE_HOURS, Date.UTC(2026, 9, 23), Date.UTC(2026, 9, 27));
    expect(spans.map((s) => [iso(s.from), iso(s.to)])).toEqual([
      ['2026-10-23T07:00:00.000Z', '2026-10-23T17:30:00.000Z'],
      ['2026-10-26T08:00:00.000Z', '2026-10-26T18:30:00.000Z'],
    ]);
  });

  it('leave out listed bank holidays, and are cut to the period', () => {
    const hours = { ...DEFAULT_CORE_HOURS, holidays: ['2026-12-25', '2026-12-28'] };
    // Thursday 24 December 12:00 UTC to Tuesday 29 December 09:00 UTC.
    const spans = coreHourSpans(hours, Date.UTC(2026, 11, 24, 12), Date.UTC(2026, 11, 29, 9));
    expect(spans.map((s) => [iso(s.from), iso(s.to)])).toEqual([
      ['2026-12-24T12:00:00.000Z', '2026-12-24T18:30:00.000Z'],
      ['2026-12-29T08:00:00.000Z', '2026-12-29T09:00:00.000Z'],
    ]);
  });

  it('add up to 10.5 hours for each working day of a month that crosses a change', () => {
    // October 2026 has 22 weekdays; London's October runs from 23:00 UTC on 30 September.
    const from = londonTime(dayOfDate('2026-10-01'), 0);
    const to = londonTime(dayOfDate('2026-11-01'), 0);
    expect(length(coreHourSpans(DEFAULT_CORE_HOURS, from, to)) / MINUTE).toBe(22 * 630);
  });
});
