import { describe, expect, it } from 'vitest';
import { parseEstate } from '../../server/config/load.js';
import { coreHoursOf } from '../../server/principles/core-hours.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

function errorsOf(settings: string): string[] {
  const result = parseEstate(`${smallEstateYaml}settings:\n${settings}`, 'estate.yaml', {});
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}
// The small estate is 17 lines; `settings:` is line 18, its first key line 19.

describe('core hours and bank holidays in settings', () => {
  it('are the PRINCIPLES.md hours with no holidays when not given', () => {
    expect(coreHoursOf(estateFrom(smallEstateYaml).settings)).toEqual({
      days: [1, 2, 3, 4, 5],
      startMinute: 480,
      endMinute: 1110,
      holidays: [],
    });
  });

  it('are read as given: days by name, times in minutes after midnight, holidays as dates', () => {
    const estate = estateFrom(
      `${smallEstateYaml}settings:\n  coreHours: { days: [sat, sun, mon], start: "07:30", end: "20:00" }\n  bankHolidays: [2026-12-25, 2026-12-28]\n`,
    );
    expect(coreHoursOf(estate.settings)).toEqual({
      days: [6, 0, 1],
      startMinute: 450,
      endMinute: 1200,
      holidays: ['2026-12-25', '2026-12-28'],
    });
  });

  it('names each mistake where it is', () => {
    const errors = errorsOf(
      '  coreHours: { days: [mon, fri, funday], start: "8am", end: "07:00" }\n  bankHolidays: [2026-12-25, 2026-02-30]\n',
    );
    const text = errors.join('\n');
    expect(errors.some((e) => e.startsWith('19:') && e.includes('funday'))).toBe(true);
    expect(errors.some((e) => e.startsWith('19:') && e.includes('a time is HH:MM, such as 08:00'))).toBe(
      true,
    );
    expect(errors.some((e) => e.startsWith('20:') && e.includes("invalid date '2026-02-30'"))).toBe(true);
    expect(text).not.toContain('2026-12-25');
  });

  it('refuses hours that end before they start, at end', () => {
    const errors = errorsOf('  coreHours: { days: [mon], start: "18:30", end: "08:00" }\n');
    expect(
      errors.some((e) => e.startsWith('19:') && e.includes('end (08:00) is not after start (18:30)')),
    ).toBe(true);
    expect(errorsOf('  coreHours: { days: [], start: "08:00", end: "18:30" }\n').join()).toContain(
      'list at least one day',
    );
  });
});
