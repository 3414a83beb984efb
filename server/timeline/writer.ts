import { DAY_MS } from '../../common/calendar.js';
import type { Check } from '../config/schema.js';
import type { Db } from '../db/open.js';
import { timelineRepo } from '../db/repos/timeline.js';
import { holdOf } from './hold.js';
import { rewriteTimeline } from './rewrite.js';

/**
 * Keeps the state timeline with the runs a transaction stores: told of each run as it is stored, it
 * rewrites once per (check, vantage point) the window those runs decide.
 */
export class TimelineWriter {
  readonly #repo;
  /** Each check's hold, by its definition's text: a changed interval is picked up at once. */
  readonly #holds = new Map<string, (at: number) => number>();
  readonly #pending = new Map<string, { check: number; vp: number; first: number; last: number }>();

  constructor(db: Db) {
    this.#repo = timelineRepo(db);
  }

  add(check: number, vp: number, at: number): void {
    const key = `${check}:${vp}`;
    const seen = this.#pending.get(key);
    if (!seen) this.#pending.set(key, { check, vp, first: at, last: at });
    else {
      seen.first = Math.min(seen.first, at);
      seen.last = Math.max(seen.last, at);
    }
  }

  /** Rewrites what the runs added since the last call decide. */
  write(): void {
    for (const { check, vp, first, last } of this.#pending.values()) this.#rewrite(check, vp, first, last);
    this.#pending.clear();
  }

  /**
   * Fills in the timeline of series stored before it existed, up to `limit` days of runs (a day per
   * series at most): each step starts at a run, so the rows come out as the writer would have made them.
   * Says whether series are still waiting.
   */
  backfill(limit: number): boolean {
    for (const { check, vp, from } of this.#repo.backlog(limit)) {
      const first = this.#repo.firstRunFrom(check, vp, from);
      if (first === undefined) {
        this.#repo.done(check, vp);
        continue;
      }
      const last = this.#repo.lastRunIn(check, vp, first, first + DAY_MS) as number;
      this.#rewrite(check, vp, first, last);
      this.#repo.advance(check, vp, last + 1);
    }
    return this.#repo.backlog(1).length > 0;
  }

  /** Works out again what the runs from `first` to `last` decide, to the last one's hold. */
  #rewrite(check: number, vp: number, first: number, last: number): void {
    const hold = this.#holdOf(check);
    rewriteTimeline(
      this.#repo,
      check,
      vp,
      { lo: first, hi: last + hold(last) },
      (from, to) => this.#repo.runs(check, vp, from, to),
      hold,
    );
  }

  #holdOf(check: number): (at: number) => number {
    const text = this.#repo.definition(check) ?? '{}';
    let hold = this.#holds.get(text);
    if (!hold) {
      hold = holdOf(JSON.parse(text) as Pick<Check, 'every' | 'cron'>);
      // Bounded by the estate's checks and their edits; cleared when it grows past that.
      if (this.#holds.size > 50_000) this.#holds.clear();
      this.#holds.set(text, hold);
    }
    return hold;
  }
}
