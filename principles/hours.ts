import { londonDayOf } from '../common/calendar.js';
import type { Span } from './intervals.js';
import { dayOfDate, londonTime, weekdayOf } from './london.js';

/** Working hours in London time: which weekdays, from and to (minutes after midnight), less holidays. */
export interface CoreHours {
  /** 0 Sunday … 6 Saturday. */
  days: readonly number[];
  startMinute: number;
  endMinute: number;
  /** 'YYYY-MM-DD' dates that are not core hours (bank holidays). */
  holidays: readonly string[];
}

/** Monday to Friday, 08:00 to 18:30. */
export const DEFAULT_CORE_HOURS: CoreHours = {
  days: [1, 2, 3, 4, 5],
  startMinute: 8 * 60,
  endMinute: 18 * 60 + 30,
  holidays: [],
};

/**
 * The core hours between two instants, as UTC spans. Each day's hours are found from London's wall
 * clock on that day, so a day after the clocks change starts at 07:00 UTC in summer and 08:00 in winter.
 */
export function coreHourSpans(hours: CoreHours, from: number, to: number): Span[] {
  const holidays = new Set(hours.holidays.map(dayOfDate));
  const spans: Span[] = [];
  // A day either side: a London day starts up to an hour before its UTC date does.
  for (let day = londonDayOf(from) - 1; day <= londonDayOf(to) + 1; day++) {
    if (!hours.days.includes(weekdayOf(day)) || holidays.has(day)) continue;
    const start = Math.max(from, londonTime(day, hours.startMinute));
    const end = Math.min(to, londonTime(day, hours.endMinute));
    if (end > start) spans.push({ from: start, to: end });
  }
  return spans;
}
