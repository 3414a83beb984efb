import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '../../server/config/schema.js';
import { covers, londonInstant, maintenanceFor, windowSpans } from '../../server/principles/maintenance.js';

const iso = (ms: number) => new Date(ms).toISOString();
const once: MaintenanceWindow = {
  id: 'epr-upgrade',
  title: 'EPR upgrade',
  start: '2026-11-14T22:00',
  end: '2026-11-15T02:00',
  scope: { systems: ['epr'] },
};
const sundays: MaintenanceWindow = {
  id: 'sunday-patching',
  title: 'Sunday patching',
  cron: '0 6 * * 0',
  duration: '2h',
  scope: { sites: ['marsh-lane'] },
};

describe('maintenance windows', () => {
  it('take their times in London time, summer or winter', () => {
    expect(iso(londonInstant('2026-11-14T22:00'))).toBe('2026-11-14T22:00:00.000Z');
    expect(iso(londonInstant('2026-07-01T22:00'))).toBe('2026-07-01T21:00:00.000Z');
    expect(windowSpans(once, 0, Number.MAX_SAFE_INTEGER).map((s) => [iso(s.from), iso(s.to)])).toEqual([
      ['2026-11-14T22:00:00.000Z', '2026-11-15T02:00:00.000Z'],
    ]);
  });

  it('repeat by cron in London time across the clocks changing, and are cut to the period', () => {
    // Sundays 18 and 25 October (the clocks go back at 02:00 BST on the 25th) and 1 November 2026.
    const spans = windowSpans(sundays, Date.UTC(2026, 9, 18, 6), Date.UTC(2026, 10, 1, 7));
    expect(spans.map((s) => [iso(s.from), iso(s.to)])).toEqual([
      ['2026-10-18T06:00:00.000Z', '2026-10-18T07:00:00.000Z'],
      ['2026-10-25T06:00:00.000Z', '2026-10-25T08:00:00.000Z'],
      ['2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z'],
    ]);
  });

  it('cover a check by its id, its system, the site it runs from, or a tag of any of them', () => {
    const check = { id: 'epr-login', system: 'epr', tags: [] };
    expect(covers(once, { check })).toBe(true);
    expect(covers(sundays, { check })).toBe(false);
    expect(covers(sundays, { check, site: { id: 'marsh-lane' } })).toBe(true);
    const tagged: MaintenanceWindow = { ...sundays, scope: { tags: ['n3-link'] } };
    expect(covers(tagged, { check, site: { id: 'st-annes', tags: ['n3-link'] } })).toBe(true);
    expect(covers(tagged, { check, system: { id: 'epr', tags: [] } })).toBe(false);
    const spans = maintenanceFor(
      [once, sundays],
      { check, site: { id: 'marsh-lane' } },
      Date.UTC(2026, 10, 14),
      Date.UTC(2026, 10, 16),
    );
    expect(spans.map((s) => [iso(s.from), iso(s.to)])).toEqual([
      ['2026-11-14T22:00:00.000Z', '2026-11-15T02:00:00.000Z'],
      ['2026-11-15T06:00:00.000Z', '2026-11-15T08:00:00.000Z'],
    ]);
  });
});
