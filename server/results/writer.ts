import type { Logger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import type { ResultsStore } from '../store/results.js';

export interface WriterOptions {
  store: Pick<ResultsStore, 'recordRuns'>;
  logger: Logger;
  /** Flush when this many runs are waiting… */
  maxBatch?: number;
  /** …or this long after the first of them arrived. */
  maxDelayMs?: number;
  /** Runs held while the database refuses writes; past this the oldest are dropped, and logged. */
  maxPending?: number;
}

/**
 * Collects runs and writes them in batches, one transaction each, so thousands of checks a minute
 * cost a few writes a second. A failed write is retried with the next batch, never silently lost.
 */
export class ResultWriter {
  readonly #options: Required<WriterOptions>;
  #pending: RunRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  /** Whether the last write failed: a refusing database is logged when it starts and when it ends. */
  #failing = false;

  constructor(options: WriterOptions) {
    this.#options = { maxBatch: 500, maxDelayMs: 1000, maxPending: 200_000, ...options };
  }

  get pending(): number {
    return this.#pending.length;
  }

  add(run: RunRecord): void {
    this.#pending.push(run);
    if (this.#pending.length >= this.#options.maxBatch) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#options.maxDelayMs);
  }

  /** Writes everything waiting; resolves when it is stored (or has failed and is kept for later). */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  async #write(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    try {
      const report = await this.#options.store.recordRuns(batch);
      if (report.unknown > 0)
        this.#options.logger.warn('runs of unknown checks were not stored', { count: report.unknown });
      if (this.#failing) this.#options.logger.info('writing results again', { written: batch.length });
      this.#failing = false;
    } catch (error) {
      this.#pending = batch.concat(this.#pending);
      const excess = this.#pending.length - this.#options.maxPending;
      if (excess > 0) {
        this.#pending.splice(0, excess);
        this.#options.logger.error('results dropped: the database has refused writes for too long', {
          dropped: excess,
        });
      }
      // Once, not at every retry: a full disk would otherwise be told of every second, into the log.
      if (!this.#failing) {
        this.#options.logger.error('writing results failed; will retry', {
          error,
          pending: this.#pending.length,
        });
      }
      this.#failing = true;
      this.#timer ??= setTimeout(() => void this.flush(), this.#options.maxDelayMs);
    }
  }
}
