import { fnv1a } from '../../runs/plan.js';
import { inWindow, type RecurringWindow } from './behaviour.js';
import type { LinkCondition } from './link.js';

/**
 * How each demo site's network link behaves at a given moment. Every site has a small, steady
 * latency of its own; three sites have a recurring local problem, timed so that any 15 minutes of
 * the demo show at least one, and none falls on the systems' own slowdown or outage in behaviour.ts
 * (minutes 2–4 of 15 for the shared care record, 10 of 30 for case management). A problem here shows
 * at one site only, and is its host organisation's to fix; a system's problem shows at every site.
 *
 *   minutes (of each)  site                  link
 *   6–8 of 15          marsh-lane            congested: +300 ms round trip
 *   11–12 of 15        greenway-care-home    lossy: 30% of connections lose their SYN
 *   40–41 of 60        canal-street-surgery  down: connections reset
 *
 * Minutes count from the hour in UTC, and a range includes both ends (6–8 is 06:00 to 08:59).
 * Besides these, each start of the demo has one fault of its own (FIRST_FAULT), so the first minutes
 * already show a real alert opened, sent and resolved.
 */
export interface LinkProblem extends RecurringWindow {
  site: string;
}

/** Marsh Lane's link is saturated for 3 minutes of every 15: slow everywhere, from that site only. */
export const CONGESTION = {
  site: 'marsh-lane',
  everyMinutes: 15,
  fromMinute: 6,
  minutes: 3,
  addedLatencyMs: 300,
} as const satisfies LinkProblem & { addedLatencyMs: number };

/** The care home's link drops packets for 2 minutes of every 15: care homes often have the weakest lines. */
export const PACKET_LOSS = {
  site: 'greenway-care-home',
  everyMinutes: 15,
  fromMinute: 11,
  minutes: 2,
  lossRate: 0.3,
} as const satisfies LinkProblem & { lossRate: number };

/** The surgery's link is down for 2 minutes an hour: a single-line practice with no fallback. */
export const LINK_DOWN = {
  site: 'canal-street-surgery',
  everyMinutes: 60,
  fromMinute: 40,
  minutes: 2,
} as const satisfies LinkProblem;

/** A healthy link's round trip lies in this range, fixed per site. */
export const BASELINE_LATENCY_MS = { min: 1, max: 6 } as const;

/** The site's healthy round trip, a whole number of milliseconds in BASELINE_LATENCY_MS, the same in every run. */
export function baselineLatencyMs(siteId: string): number {
  const span = BASELINE_LATENCY_MS.max - BASELINE_LATENCY_MS.min + 1;
  return BASELINE_LATENCY_MS.min + (fnv1a(siteId) % span);
}

/** The condition of a demo site's link now: its baseline, or the scheduled problem if one is on. */
export function siteCondition(siteId: string, now: number): LinkCondition {
  const condition: LinkCondition = { latencyMs: baselineLatencyMs(siteId), lossRate: 0, down: false };
  if (siteId === CONGESTION.site && inWindow(now, CONGESTION))
    condition.latencyMs += CONGESTION.addedLatencyMs;
  if (siteId === PACKET_LOSS.site && inWindow(now, PACKET_LOSS)) condition.lossRate = PACKET_LOSS.lossRate;
  if (siteId === LINK_DOWN.site && inWindow(now, LINK_DOWN)) condition.down = true;
  return condition;
}

/**
 * Wharf Road's link is down from 45 s to 4 min 45 s after the demo starts: its checks, every minute,
 * fail three runs in a row within about four minutes, so an incident opens for its host (Riverside,
 * whose channels are an email and a webhook in the demo inbox), and resolves once the link is back.
 */
export const FIRST_FAULT = { site: 'wharf-road', fromMs: 45_000, untilMs: 285_000 } as const;

/** Each site's link for a demo started at `startedAt`: the recurring problems, and the first fault. */
export function demoNetwork(startedAt: number): (siteId: string, now: number) => LinkCondition {
  return (siteId, now) => {
    const condition = siteCondition(siteId, now);
    const since = now - startedAt;
    if (siteId === FIRST_FAULT.site && since >= FIRST_FAULT.fromMs && since < FIRST_FAULT.untilMs)
      condition.down = true;
    return condition;
  };
}
