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
    for (const { check, vp, first, last } of this.#pending.values()) {
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
    this.#pending.clear();
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
