import { standardNormal } from './random.js';

/**
 * How the demo's simulated systems behave at a given moment: a latency typical of each system, a
 * weekday morning peak, a slowdown and a short outage that recur often enough to see within minutes.
 */
export interface SystemProfile {
  medianMs: number;
  page: string;
}

export const demoSystems: Record<string, SystemProfile> = {
  epr: { medianMs: 180, page: 'Riverside EPR: Sign in' },
  'mh-record': { medianMs: 220, page: 'Leaside clinical record: Sign in' },
  'gp-system': { medianMs: 150, page: 'GP clinical system: Sign in' },
  'shared-care-record': { medianMs: 260, page: 'Thames Shared Care Record: Sign in' },
  email: { medianMs: 120, page: 'Thamesmail: Sign in' },
  identity: { medianMs: 90, page: 'Thames single sign-on: Sign in' },
  'social-care-record': { medianMs: 240, page: 'Millwater case management: Sign in' },
  network: { medianMs: 20, page: 'HSCN gateway: OK' },
};

/** The shared care record slows fourfold for 3 minutes of every 15; case management is down for 1 minute in 30. */
export const SLOWDOWN = {
  system: 'shared-care-record',
  everyMinutes: 15,
  fromMinute: 2,
  minutes: 3,
  factor: 4,
};
export const OUTAGE = { system: 'social-care-record', everyMinutes: 30, fromMinute: 10, minutes: 1 };

const londonHour = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  hourCycle: 'h23',
  weekday: 'short',
});

/** 1 outside the morning; up to 1.8 around 09:00 on weekdays in London, when everyone signs in. */
export function morningPeak(now: number): number {
  const parts = Object.fromEntries(londonHour.formatToParts(now).map((p) => [p.type, p.value]));
  const weekend = parts.weekday === 'Sat' || parts.weekday === 'Sun';
  return peakAt(weekend, Number(parts.hour) * 60 + new Date(now).getUTCMinutes());
}

/** The morning peak at a London minute of the day (0–1439), on a weekday or at a weekend. */
export function peakAt(weekend: boolean, minuteOfDay: number): number {
  if (weekend) return 1;
  const fromNine = Math.abs(minuteOfDay - 9 * 60);
  return fromNine >= 90 ? 1 : 1 + 0.8 * (1 - fromNine / 90);
}

/** A stretch of minutes that recurs: `minutes` long from `fromMinute` of every `everyMinutes`, in UTC. */
export interface RecurringWindow {
  everyMinutes: number;
  fromMinute: number;
  minutes: number;
}

/** Whether `now` falls inside the window (minutes count from the epoch, so from the hour in UTC). */
export function inWindow(now: number, w: RecurringWindow): boolean {
  const minute = Math.floor(now / 60_000) % w.everyMinutes;
  return minute >= w.fromMinute && minute < w.fromMinute + w.minutes;
}

export type Answer = { status: 503; delayMs: number } | { status: 200; delayMs: number };

/** What a request to a system gets now: its status and how long the answer takes. */
export function answer(system: string, now: number, random: () => number): Answer | undefined {
  const profile = demoSystems[system];
  if (!profile) return undefined;
  if (system === OUTAGE.system && inWindow(now, OUTAGE)) return { status: 503, delayMs: 30 };
  // Log-normal: most requests near the median, a long tail of slow ones, as real systems have.
  let delayMs = profile.medianMs * Math.exp(0.35 * standardNormal(random)) * morningPeak(now);
  if (system === SLOWDOWN.system && inWindow(now, SLOWDOWN)) delayMs *= SLOWDOWN.factor;
  return { status: 200, delayMs };
}
