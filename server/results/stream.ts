import type { Logger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import type { ResultsStore } from '../store/results.js';

/** Told of runs once they are stored; may be async. */
export type StoredRunsSubscriber = (runs: readonly RunRecord[]) => void | Promise<void>;

/**
 * The one stream of stored results: every run stored, from the server's scheduler or an agent's
 * batch, is published once, after the transaction that stored it committed. Subscribers (the
 * metrics; principles and alerts next) are isolated: one that throws is logged and the others, and
 * the writer, carry on.
 */
export class StoredResults {
  readonly #logger: Logger;
  readonly #subscribers = new Map<StoredRunsSubscriber, string>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Adds a subscriber, named for the log; returns what removes it. */
  subscribe(name: string, subscriber: StoredRunsSubscriber): () => void {
    // Wrapped, so the same function subscribed twice is told twice and removed once.
    const own: StoredRunsSubscriber = (runs) => subscriber(runs);
    this.#subscribers.set(own, name);
    return () => {
      this.#subscribers.delete(own);
    };
  }

  /** Tells every subscriber of runs just stored. Never throws. */
  publish(runs: readonly RunRecord[]): void {
    if (runs.length === 0) return;
    for (const [subscriber, name] of this.#subscribers) {
      try {
        const done = subscriber(runs);
        if (done instanceof Promise) done.catch((error: unknown) => this.#failed(name, runs, error));
      } catch (error) {
        this.#failed(name, runs, error);
      }
    }
  }

  #failed(name: string, runs: readonly RunRecord[], error: unknown): void {
    this.#logger.error('a subscriber to stored results failed', {
      subscriber: name,
      runs: runs.length,
      error,
    });
  }
}

/**
 * A results store that publishes the runs it newly stores, once committed: not those it already
 * had (a retried batch) nor those of unknown checks, and nothing when the write fails.
 */
export function publishingResults(store: ResultsStore, stream: StoredResults): ResultsStore {
  return {
    async recordRuns(runs) {
      const report = await store.recordRuns(runs);
      stream.publish(report.fresh);
      return report;
    },
    latestResultsAll: () => store.latestResultsAll(),
    latestResults: (checkId) => store.latestResults(checkId),
    firstRunAt: (checkId, vantagePoint, from, to) => store.firstRunAt(checkId, vantagePoint, from, to),
    listResults: (checkId, query) => store.listResults(checkId, query),
    totalTimes: (checkId, from, to) => store.totalTimes(checkId, from, to),
    rollups: (checkId, resolution, from, to) => store.rollups(checkId, resolution, from, to),
    hourlyPhases: (checkId, from, to, weekMask) => store.hourlyPhases(checkId, from, to, weekMask),
    spanRollups: (checkId, firstDay, endDay) => store.spanRollups(checkId, firstDay, endDay),
    refreshSpans: (firstDay, endDay, limit) => store.refreshSpans(firstDay, endDay, limit),
    timeline: (checkId, from, to) => store.timeline(checkId, from, to),
    certificates: (from, to) => store.certificates(from, to),
    timelines: (from, to, visit) => store.timelines(from, to, visit),
    backfillTimeline: (limit) => store.backfillTimeline(limit),
    pruneBatch: (before, limit) => store.pruneBatch(before, limit),
    latencyKept: store.latencyKept,
  };
}
