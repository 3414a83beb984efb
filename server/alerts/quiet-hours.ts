import { DAY_MS, londonDayOf } from '../../common/calendar.js';
import type { QuietHours } from './config.js';

const MINUTE_MS = 60_000;

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** How far London's wall clock is ahead of UTC at an instant: 0 in winter, an hour in summer. */
function londonOffsetMs(ms: number): number {
  const parts = londonClock.formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return wall - Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * The instant a London wall-clock time happens on a London day (days since 1970-01-01). A time the
 * spring change skips (01:30 on its Sunday) is taken an hour later, as a clock would show it; one the
 * autumn change repeats is its first occurrence.
 */
export function londonInstant(day: number, minute: number): number {
  const wall = day * DAY_MS + minute * MINUTE_MS;
  for (const candidate of [wall - 3_600_000, wall])
    if (londonOffsetMs(candidate) === wall - candidate) return candidate;
  return wall;
}

/** "08:00": an instant's London wall-clock time. */
export function londonTimeText(ms: number): string {
  const parts = londonClock.formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}`;
}

/** The quiet periods starting on a London day: from `from` that day to the next `to` after it. */
function periodOn(quiet: QuietHours, day: number): [number, number] | undefined {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  if (!quiet.days.includes(weekday)) return undefined;
  const endDay = quiet.toMinute > quiet.fromMinute ? day : day + 1;
  return [londonInstant(day, quiet.fromMinute), londonInstant(endDay, quiet.toMinute)];
}

/**
 * When quiet hours that cover this instant end, or undefined when they do not cover it. Periods that
 * meet or overlap (Friday night into a quiet Saturday) are one: it ends when the last of them does.
 */
export function quietUntil(quiet: QuietHours, at: number): number | undefined {
  let end: number | undefined;
  let moment = at;
  // A period lasts at most a day, so only those starting the day before, on or after may cover a moment.
  for (let guard = 0; guard < 14; guard++) {
    const today = londonDayOf(moment);
    const covering = [today - 1, today]
      .map((day) => periodOn(quiet, day))
      .filter((p): p is [number, number] => p !== undefined && p[0] <= moment && moment < p[1]);
    if (covering.length === 0) return end;
    end = Math.max(...covering.map((p) => p[1]));
    moment = end;
  }
  return end;
}
