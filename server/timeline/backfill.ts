import type { Logger } from '../../common/logger.js';
import type { Timers } from '../../common/timers.js';
import type { Subsystem } from '../lifecycle/subsystem.js';
import type { ResultsStore } from '../store/results.js';

/** Series per step, and the pause between steps: small writes that never hold up the runs' own. */
const SERIES_PER_STEP = 20;
const PAUSE_MS = 50;

/**
 * Fills in, in the background, the state timeline of results stored before the timeline existed: a
 * database from an earlier version has years of rollups and weeks of raw runs but no stretches. Runs
 * stored meanwhile are written by the results store itself, so the two never disagree.
 */
export class TimelineBackfill implements Subsystem {
  readonly name = 'timeline backfill';
  readonly #store: Pick<ResultsStore, 'backfillTimeline'>;
  readonly #timers: Timers;
  readonly #logger: Logger;
  #timer: unknown;
  #stopped = false;
  #steps = 0;

  constructor(deps: { store: Pick<ResultsStore, 'backfillTimeline'>; timers: Timers; logger: Logger }) {
    this.#store = deps.store;
    this.#timers = deps.timers;
    this.#logger = deps.logger;
  }

  apply(): void {}

  start(): void {
    this.#schedule(1_000);
  }

  stop(): void {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#timer);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = this.#timers.setTimeout(() => void this.#step(), ms);
  }

  async #step(): Promise<void> {
    try {
      const more = await this.#store.backfillTimeline(SERIES_PER_STEP);
      this.#steps += 1;
      if (more) return this.#schedule(PAUSE_MS);
      if (this.#steps > 1)
        this.#logger.info('state timeline filled in for results stored before it', { steps: this.#steps });
    } catch (error) {
      // A full disk, say: tried again later, from where it stopped.
      this.#logger.warn('filling in the state timeline failed; trying again in a minute', {
        error: String(error),
      });
      this.#schedule(60_000);
    }
  }
}
