import { DAY_MS, londonDayOf } from '../../common/calendar.js';
import { londonTime } from '../../principles/london.js';
import { type Period, PeriodError, parsePeriod } from '../principles/period.js';

/** The forms the overview takes: the principles' own, and `today` (London midnight to now). */
export const OVERVIEW_PERIOD_FORMS =
  'today, or any period the principles take: a rolling duration ending now (such as 7d or 30d), a month (2026-11), a quarter (2026-Q4) or a year (2026), in London time';

/** A period and the one before it, which the overview compares it with. */
export interface PeriodPair {
  current: Period;
  previous: Period;
}

/**
 * The period asked for and the same period before it: a rolling window the same length ending where
 * it begins; a calendar month, quarter or year the whole one before; today the whole of yesterday.
 * Throws PeriodError naming the forms taken.
 */
export function periodPair(text: string, now: number): PeriodPair {
  if (text === 'today') {
    const midnight = londonTime(londonDayOf(now), 0);
    const yesterday = londonTime(londonDayOf(midnight - 1), 0);
    return {
      current: { text, from: midnight, to: now, end: midnight + DAY_MS },
      previous: { text: 'yesterday', from: yesterday, to: midnight, end: midnight },
    };
  }
  const current = parsePeriod(text, now);
  if (current.rollingMs !== undefined) {
    const from = current.from - current.rollingMs;
    return {
      current,
      previous: { text: `the ${text} before`, from, to: current.from, end: current.from },
    };
  }
  return { current, previous: parsePeriod(calendarBefore(text), now) };
}

/** The calendar month, quarter or year before the one named. */
function calendarBefore(text: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const [year, m] = [Number(month[1]), Number(month[2])];
    return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
  }
  const quarter = /^(\d{4})-Q(\d)$/.exec(text);
  if (quarter) {
    const [year, q] = [Number(quarter[1]), Number(quarter[2])];
    return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
  }
  if (/^\d{4}$/.test(text)) return String(Number(text) - 1);
  throw new PeriodError(`period '${text}' has no period before it`);
}
