import { DAY_MS } from '../common/calendar.js';
import { normalise, type Span } from './intervals.js';

/** A certificate expiry seen at one vantage point in one month, from its first run to its last. */
export interface Seen {
  notAfter: number;
  firstAt: number;
  lastAt: number;
}

/**
 * The fewest days to expiry any run in [from, to) was shown: a certificate is closest to expiry at the
 * last run that saw it, so each row counts at its last run (a run stamped past `to`, from a clock
 * ahead, counts at `to`). Undefined when no run in the period saw a certificate.
 */
export function fewestDays(seen: readonly Seen[], from: number, to: number): number | undefined {
  let fewest: number | undefined;
  for (const s of seen) {
    if (s.lastAt < from || s.firstAt >= to) continue;
    const days = (s.notAfter - Math.min(s.lastAt, to)) / DAY_MS;
    if (fewest === undefined || days < fewest) fewest = days;
  }
  return fewest;
}

/**
 * When a certificate seen had fewer than `targetDays` left: from the later of the first run that saw it
 * in its month and the moment it came under target, to the last run that saw it plus that run's hold (the
 * time a run's word stands for, as in the state timeline).
 */
export function underTarget(
  seen: readonly Seen[],
  targetDays: number,
  holdOf: (at: number) => number,
): Span[] {
  return normalise(
    seen
      .map((s) => ({
        from: Math.max(s.firstAt, s.notAfter - targetDays * DAY_MS),
        to: s.lastAt + holdOf(s.lastAt),
      }))
      .filter((span) => span.from < span.to),
  );
}
