import { DAY_MS, HOUR_MS } from '../../common/calendar.js';
import { parseDuration } from '../../common/duration.js';
import { dayOfDate, londonTime } from '../../principles/london.js';

/** A period a principle is judged over, in UTC ms: `to` is now when the period is not yet over. */
export interface Period {
  text: string;
  from: number;
  to: number;
  /** When the period ends: for a rolling window, now (it always ends now). */
  end: number;
  /** A rolling window's length; absent for a calendar month, quarter or year. */
  rollingMs?: number;
}

export const PERIOD_FORMS =
  'a rolling duration ending now (1h to 400d, such as 30d, 12h or 90m), a month (2026-11), a quarter (2026-Q4) or a year (2026), in London time';

export class PeriodError extends Error {}

const MIN_ROLLING = HOUR_MS;
const MAX_ROLLING = 400 * DAY_MS;

/** Reads a period's text; throws PeriodError naming the forms accepted. */
export function parsePeriod(text: string, now: number): Period {
  // Any duration a principle's `window` may be written as (90m, 36h, 30d), from 1h to 400d.
  if (/^\d{1,9}(ms|s|m|h|d)$/.test(text)) {
    const ms = parseDuration(text) ?? 0;
    if (ms < MIN_ROLLING || ms > MAX_ROLLING)
      throw new PeriodError(`period '${text}' is out of range: a rolling period is from 1h to 400d`);
    return { text, from: now - ms, to: now, end: now, rollingMs: ms };
  }
  const calendar = calendarSpan(text);
  if (!calendar) throw new PeriodError(`period '${text}' is not understood: give ${PERIOD_FORMS}`);
  if (calendar.from >= now) throw new PeriodError(`period '${text}' has not begun yet`);
  return { text, from: calendar.from, to: Math.min(calendar.to, now), end: calendar.to };
}

/** A calendar month, quarter or year from London midnight to London midnight. */
function calendarSpan(text: string): { from: number; to: number } | undefined {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(text);
  const year = /^(\d{4})$/.exec(text);
  if (month) return months(Number(month[1]), Number(month[2]), 1);
  if (quarter) return months(Number(quarter[1]), (Number(quarter[2]) - 1) * 3 + 1, 3);
  if (year) return months(Number(year[1]), 1, 12);
  return undefined;
}

/** `count` months from month `first` (1–12) of `year`, each starting at London midnight on the 1st. */
function months(year: number, first: number, count: number): { from: number; to: number } {
  const start = new Date(Date.UTC(year, first - 1, 1)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(year, first - 1 + count, 1)).toISOString().slice(0, 10);
  return { from: londonTime(dayOfDate(start), 0), to: londonTime(dayOfDate(end), 0) };
}
