import { DAY_MS } from '../common/calendar.js';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/**
 * Offsets already found, by UTC hour: London's clocks change only on the hour, so every instant of an
 * hour has one offset, and formatting a date takes microseconds where a year's figures ask millions of
 * times. Bounded: emptied should it ever hold more than a few decades of hours.
 */
const offsetByHour = new Map<number, number>();
const HOURS_KEPT = 250_000;

/** How far London's clocks are ahead of UTC at an instant (0 in winter, an hour in summer). */
export function londonOffsetMs(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size >= HOURS_KEPT) offsetByHour.clear();
    offset = formattedOffset(hour * 3_600_000);
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function formattedOffset(ms: number): number {
  const fields = Object.fromEntries(
    parts.formatToParts(ms).map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(
    fields.year as number,
    (fields.month as number) - 1,
    fields.day as number,
    fields.hour as number,
    fields.minute as number,
    fields.second as number,
  );
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a London wall-clock time names. A time the clocks skip in spring (01:30 on the last
 * Sunday of March) is the instant an hour on (02:30 BST); a time they pass twice in autumn is the
 * second (GMT) one.
 */
export function londonTime(day: number, minuteOfDay: number): number {
  const guess = day * DAY_MS + minuteOfDay * 60_000;
  const first = guess - londonOffsetMs(guess);
  const offset = londonOffsetMs(first);
  return offset === londonOffsetMs(guess) ? first : guess - offset;
}

/** Day of the week of a day key (days since 1970-01-01): 0 Sunday … 6 Saturday. */
export function weekdayOf(day: number): number {
  return (day + 4) % 7;
}

/** The day key of 'YYYY-MM-DD'. */
export function dayOfDate(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}
