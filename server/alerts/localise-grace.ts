import { DEFAULT_INTERVAL } from '../../common/check-defaults.js';
import { durationMs } from '../../common/duration.js';
import type { Check } from '../config/schema.js';
import type { SeriesRow } from '../store/incidents.js';

/** The longest a failing series waits by default: a minute, long enough for every site's batch of a round. */
const MAX_DEFAULT_GRACE_MS = 60_000;

/**
 * How long a series waits for the rest of its check's round before its host's incident: the estate's
 * `alerts.localisation.grace`, else the check's interval, at most a minute (a cron check: a minute).
 */
export function graceFor(check: Check, configuredMs: number | undefined): number {
  if (configuredMs !== undefined) return configuredMs;
  if (check.cron !== undefined) return MAX_DEFAULT_GRACE_MS;
  return Math.min(MAX_DEFAULT_GRACE_MS, durationMs(check.every ?? DEFAULT_INTERVAL));
}

/**
 * Failing series waiting for the rest of their round, each until when. Kept in memory; after a restart
 * a failing series in no incident waits again (`resume`), one grace from the start, as the sites' agents
 * send what they held while the server was away.
 */
export class RoundWaits {
  readonly #until = new Map<string, number>();

  /**
   * Whether a failing series bound for its host's incident waits: only when it met the rule from a run
   * that just arrived (never a backlog), only while another vantage point of the check has not yet sent
   * its run of the same round, and only until its grace is out.
   */
  holds(
    key: string,
    othersBehind: boolean,
    options: { now: number; graceMs: number; fresh: boolean },
  ): boolean {
    const waiting = this.#until.get(key);
    if (waiting === undefined && (!options.fresh || options.graceMs <= 0)) return false;
    if (!othersBehind) return this.#done(key);
    const until = waiting ?? options.now + options.graceMs;
    if (waiting === undefined) this.#until.set(key, until);
    return options.now < until;
  }

  /** A failing series found in no incident at a start: it waits until `until`, unless already waiting. */
  resume(key: string, until: number): void {
    if (!this.#until.has(key)) this.#until.set(key, until);
  }

  /** A series placed in an incident, recovered, or gone: it waits no longer. */
  forget(key: string): void {
    this.#until.delete(key);
  }

  /** True when a wait has run out by `now`, so its series must be placed without more runs arriving. */
  due(now: number): boolean {
    for (const until of this.#until.values()) if (until <= now) return true;
    return false;
  }

  keys(): IterableIterator<string> {
    return this.#until.keys();
  }

  #done(key: string): false {
    // Kept until the series is placed, so the same wait is not started again.
    if (this.#until.has(key)) this.#until.set(key, Number.NEGATIVE_INFINITY);
    return false;
  }
}

/**
 * Another vantage point that has not yet sent its run of this round: its latest run is older than the
 * one that made this series fail, unless it has been answering since this series began failing (up
 * during the outage: the failure is local). One already failing is not behind: it counts as it is.
 */
export function behind(other: SeriesRow, series: SeriesRow): boolean {
  if (other.failing || other.lastStartedAt >= series.lastStartedAt) return false;
  const since = series.streak ? Date.parse(series.streak.startedAt) : series.lastStartedAt;
  return !(other.fails === 0 && other.lastStartedAt >= since);
}
