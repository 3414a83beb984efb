import { getEventListeners } from 'node:events';
import { timeoutMs } from '../common/check-defaults.js';
import type { Logger } from '../common/logger.js';
import type { Timers } from '../common/timers.js';
import type { Check } from '../probes/check-schema.js';
import type { ProbeResult } from '../probes/result.js';
import { type Plan, planOf } from './plan.js';
import type { RunRecord } from './record.js';

export type RunProbe = (check: Check, signal: AbortSignal) => Promise<ProbeResult>;

export interface SchedulerOptions {
  timers: Timers;
  run: RunProbe;
  /** Where runs happen: 'server', or an agent's site. */
  vantagePoint: string;
  /** Every run, skipped ones included, with how late it started (ms after its planned time). */
  onRun: (record: RunRecord, check: Check, latenessMs: number) => void;
  /** How many probes may be in flight at once. */
  concurrency?: number;
  logger: Logger;
}

interface Entry {
  check: Check;
  definition: string;
  plan: Plan;
  /** The check's timeout in ms, worked out once per definition rather than per run. */
  limit: number;
  timer?: unknown;
  running: boolean;
  queued: boolean;
  /** The controller of the run in flight. */
  controller?: AbortController;
  /**
   * The controller the next run uses: the last one, while it has not aborted and the probe left no
   * listener on its signal. On Node 20 each AbortSignal made leaves ~0.5 to 1 KB that outlives
   * young-generation collections and is promoted to the old space; one per check avoids that.
   */
  spare?: AbortController;
}

export interface SchedulerStats {
  checks: number;
  running: number;
  queued: number;
}

/**
 * Runs each check on its plan. A check never overlaps itself: a run due while the last is still going
 * is recorded as skipped. Runs beyond the concurrency bound wait their turn in order.
 */
export class Scheduler {
  readonly #options: Required<Omit<SchedulerOptions, 'logger'>> & { logger: Logger };
  readonly #entries = new Map<string, Entry>();
  readonly #queue: { entry: Entry; planned: number }[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #active = 0;
  #started = false;
  /** Whether the last run ended for want of this machine's resources: logged once, not per run. */
  #short = false;

  constructor(options: SchedulerOptions) {
    this.#options = { concurrency: 200, ...options };
  }

  get started(): boolean {
    return this.#started;
  }

  stats(): SchedulerStats {
    return { checks: this.#entries.size, running: this.#active, queued: this.#queue.length };
  }

  /** Adds, re-plans and removes checks to match the list, without touching unchanged ones. */
  setChecks(checks: Check[]): void {
    const wanted = new Map(checks.map((check) => [check.id, check]));
    for (const [id, entry] of this.#entries) {
      if (!wanted.has(id)) {
        this.#options.timers.clearTimeout(entry.timer);
        entry.controller?.abort(new Error('the check was removed'));
        this.#entries.delete(id);
      }
    }
    for (const check of checks) {
      const definition = JSON.stringify(check);
      const existing = this.#entries.get(check.id);
      if (existing?.definition === definition) continue;
      if (existing) this.#options.timers.clearTimeout(existing.timer);
      const fresh = { check, definition, plan: planOf(check), limit: timeoutMs(check) };
      // An existing entry is updated in place: a run in flight still holds it.
      const entry: Entry = existing
        ? Object.assign(existing, fresh)
        : { ...fresh, running: false, queued: false };
      this.#entries.set(check.id, entry);
      if (this.#started) this.#arm(entry, this.#options.timers.now());
    }
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const now = this.#options.timers.now();
    for (const entry of this.#entries.values()) this.#arm(entry, now);
  }

  /** Stops planning, abandons queued runs, aborts those in flight and waits for them to end. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const entry of this.#entries.values()) {
      this.#options.timers.clearTimeout(entry.timer);
      entry.controller?.abort(new Error('Vantage is stopping'));
    }
    this.#queue.length = 0;
    await Promise.allSettled([...this.#inFlight]);
  }

  #arm(entry: Entry, after: number): void {
    const planned = entry.plan(after);
    if (!Number.isFinite(planned)) return;
    const { timers } = this.#options;
    entry.timer = timers.setTimeout(() => this.#due(entry, planned), planned - timers.now());
  }

  #due(entry: Entry, planned: number): void {
    if (this.#entries.get(entry.check.id) !== entry || !this.#started) return;
    this.#arm(entry, planned);
    if (entry.running || entry.queued) {
      this.#options.onRun(
        {
          checkId: entry.check.id,
          vantagePoint: this.#options.vantagePoint,
          startedAt: planned,
          state: 'skipped',
          phases: null,
          error: { class: 'skipped', message: 'skipped: the previous run had not finished' },
        },
        entry.check,
        0,
      );
      return;
    }
    if (this.#active >= this.#options.concurrency) {
      entry.queued = true;
      this.#queue.push({ entry, planned });
      return;
    }
    this.#launch(entry, planned);
  }

  #launch(entry: Entry, planned: number): void {
    const done = () => {
      this.#inFlight.delete(run);
      this.#next();
    };
    // finally() by hand: finally's own closures and promises cost about half as much again per run.
    const run = this.#execute(entry, planned).then(done, (error: unknown) => {
      done();
      throw error;
    });
    this.#inFlight.add(run);
  }

  #next(): void {
    while (this.#active < this.#options.concurrency && this.#queue.length > 0 && this.#started) {
      const { entry, planned } = this.#queue.shift() as { entry: Entry; planned: number };
      entry.queued = false;
      if (this.#entries.get(entry.check.id) === entry) this.#launch(entry, planned);
    }
  }

  #noteShortage(message: string | undefined): void {
    if ((message !== undefined) === this.#short) return;
    this.#short = message !== undefined;
    const { logger, vantagePoint } = this.#options;
    if (message !== undefined) {
      logger.warn(
        'probes cannot run: this machine is short of resources; runs are recorded as skipped until they can',
        {
          vantagePoint,
          error: message,
        },
      );
    } else {
      logger.info('probes run again: the shortage of resources is over', { vantagePoint });
    }
  }

  async #execute(entry: Entry, planned: number): Promise<void> {
    const { timers, run, onRun, vantagePoint, logger } = this.#options;
    const check = entry.check;
    this.#active += 1;
    entry.running = true;
    const spare = entry.spare;
    const controller = spare && !spare.signal.aborted ? spare : new AbortController();
    entry.spare = undefined;
    entry.controller = controller;
    const startedAt = timers.now();
    const limit = entry.limit;
    const timeout = timers.setTimeout(
      () => controller.abort(new DOMException(`no answer within ${limit / 1000} s`, 'TimeoutError')),
      limit,
    );
    try {
      const result = await run(check, controller.signal);
      if (controller.signal.aborted && this.#entries.get(check.id) !== entry) return;
      if (!this.#started && controller.signal.aborted) return;
      // This machine's shortage says nothing of the target: the run is skipped, not failed, so it
      // never counts against the target's availability.
      const short = result.error?.class === 'local';
      this.#noteShortage(short ? result.error?.message : undefined);
      // Built field by field: a spread of a conditional object makes a throwaway object per field.
      const record: RunRecord = {
        checkId: check.id,
        vantagePoint,
        startedAt,
        state: short ? 'skipped' : result.state,
        phases: short ? null : result.phases,
      };
      if (result.status !== undefined) record.status = result.status;
      if (result.error) record.error = result.error;
      if (result.details) record.details = result.details;
      onRun(record, check, startedAt - planned);
    } catch (error) {
      logger.error('probe threw instead of returning a result', { check: check.id, error });
    } finally {
      timers.clearTimeout(timeout);
      // Reused only as good as new: not aborted, and with no listener a probe left behind.
      if (!controller.signal.aborted && getEventListeners(controller.signal, 'abort').length === 0)
        entry.spare = controller;
      entry.running = false;
      entry.controller = undefined;
      this.#active -= 1;
    }
  }
}
