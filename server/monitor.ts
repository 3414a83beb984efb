import type { Logger } from '../common/logger.js';
import type { Timers } from '../common/timers.js';
import { SERVER_VANTAGE_POINT } from '../runs/record.js';
import { type RunProbe, Scheduler } from '../runs/scheduler.js';
import type { Estate } from './config/schema.js';
import type { Subsystem } from './lifecycle/subsystem.js';
import { keepLatency } from './principles/latency-keeper.js';
import { pruneOnce } from './results/retention.js';
import { refreshYearSpans } from './results/window.js';
import { ResultWriter } from './results/writer.js';
import type { ResultsStore } from './store/results.js';

export interface MonitorOptions {
  /** Where runs are written; what it stores is published to the stream of stored results. */
  store: ResultsStore;
  timers: Timers;
  run: RunProbe;
  /** How late each run started, for /metrics. */
  onLateness?: (latenessMs: number) => void;
  logger: Logger;
  concurrency?: number;
  /** How often old results are pruned. */
  pruneEveryMs?: number;
}

/** How often the year-wide merges are brought up to date (after midnight, or after late results). */
const SPANS_EVERY_MS = 60_000;
/**
 * How often latency principles' kept days are brought up to date: a day is kept once it is over, and
 * late results remove a kept day until then (figures read its hours meanwhile, so stay exact).
 */
const LATENCY_KEPT_EVERY_MS = 10 * 60_000;
/** Keeping rests three times as long as it works: at most a quarter of a core, a new server's history included. */
const KEEPING_REST = 3;

/**
 * The central server's probing: runs the checks that have no `from` sites (agents run the others),
 * writes their results in batches, prunes old results and keeps each check's year of daily rollups
 * merged for year-wide summaries.
 */
export class Monitor implements Subsystem {
  readonly name = 'monitor';
  readonly scheduler: Scheduler;
  readonly writer: ResultWriter;
  readonly #options: MonitorOptions;
  #estate: Estate | undefined;
  #pruneTimer: unknown;
  #pruning: Promise<unknown> = Promise.resolve();
  #spansTimer: unknown;
  #merging: Promise<unknown> = Promise.resolve();
  #latencyKeptAt = Number.NEGATIVE_INFINITY;
  readonly #stopping = new AbortController();

  constructor(options: MonitorOptions) {
    this.#options = options;
    this.writer = new ResultWriter({ store: options.store, logger: options.logger });
    this.scheduler = new Scheduler({
      timers: options.timers,
      run: options.run,
      vantagePoint: SERVER_VANTAGE_POINT,
      logger: options.logger,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      onRun: (record, _check, latenessMs) => {
        this.writer.add(record);
        if (record.state !== 'skipped') options.onLateness?.(latenessMs);
      },
    });
  }

  apply(estate: Estate): void {
    this.#estate = estate;
    this.scheduler.setChecks(estate.checks.filter((check) => !check.from || check.from.length === 0));
  }

  start(): void {
    this.scheduler.start();
    this.#schedulePrune(60_000);
    this.#scheduleSpans(5_000);
  }

  async stop(): Promise<void> {
    this.#options.timers.clearTimeout(this.#pruneTimer);
    this.#options.timers.clearTimeout(this.#spansTimer);
    this.#stopping.abort();
    await this.scheduler.stop();
    await this.#pruning;
    await this.#merging;
    await this.writer.flush();
  }

  #schedulePrune(delayMs: number): void {
    const { timers, store, logger } = this.#options;
    this.#pruneTimer = timers.setTimeout(() => {
      const estate = this.#estate;
      if (estate) {
        this.#pruning = pruneOnce(store, estate, timers.now(), { logger }).catch((error: unknown) =>
          logger.error('pruning old results failed', { error }),
        );
      }
      this.#schedulePrune(this.#options.pruneEveryMs ?? 15 * 60_000);
    }, delayMs);
  }

  async #keepLatency(): Promise<void> {
    const { timers, store, logger } = this.#options;
    const estate = this.#estate;
    const now = timers.now();
    if (!estate || now - this.#latencyKeptAt < LATENCY_KEPT_EVERY_MS) return;
    this.#latencyKeptAt = now;
    try {
      const signal = this.#stopping.signal;
      await keepLatency(estate, store, now, {
        signal,
        rest: (busyMs) => this.#rest(busyMs * KEEPING_REST, signal),
      });
    } catch (error) {
      logger.error("keeping latency principles' days failed", { error });
    }
  }

  /** Waits, or less if the monitor stops meanwhile. */
  #rest(ms: number, signal: AbortSignal): Promise<void> {
    const { timers } = this.#options;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = timers.setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      }, ms);
      const stop = () => {
        timers.clearTimeout(timer);
        resolve();
      };
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  #scheduleSpans(delayMs: number): void {
    const { timers, store, logger } = this.#options;
    this.#spansTimer = timers.setTimeout(() => {
      this.#merging = this.#merging
        .then(() =>
          refreshYearSpans(store, timers.now(), { signal: this.#stopping.signal }).catch((error: unknown) =>
            logger.error('merging year-wide rollups failed', { error }),
          ),
        )
        .then(() => this.#keepLatency());
      this.#scheduleSpans(SPANS_EVERY_MS);
    }, delayMs);
  }
}
