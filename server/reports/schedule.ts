import type { Logger } from '../../common/logger.js';
import type { Timers } from '../../common/timers.js';
import { londonOffsetMs } from '../../principles/london.js';
import type { Estate } from '../config/schema.js';
import type { Subsystem } from '../lifecycle/subsystem.js';
import type { ComplianceSources } from '../principles/compliance.js';
import type { ReportsStore } from '../store/reports.js';
import { createReport } from './issue.js';
import type { ReportKind } from './types.js';

const MINUTE_MS = 60_000;
/** How often the schedule looks at the clock: a first-of-the-month report is made within this of 00:05. */
const EVERY_MS = 15 * MINUTE_MS;
/** The first look waits until the server has settled, as the pruning does. */
const FIRST_AFTER_MS = MINUTE_MS;
/** Minutes past London midnight before the month before is reported: its last results have come in. */
const AFTER_MIDNIGHT_MINUTES = 5;

/** The reports due at an instant: on the 1st (London) past 00:05, the month before, and the quarter when one ended. */
export function dueAt(
  now: number,
  settings: Estate['settings']['reports'],
): { kind: ReportKind; period: string }[] {
  const wall = new Date(now + londonOffsetMs(now));
  if (wall.getUTCDate() !== 1 || wall.getUTCHours() * 60 + wall.getUTCMinutes() < AFTER_MIDNIGHT_MINUTES)
    return [];
  const month = wall.getUTCMonth(); // 0–11: the month just begun; the one before is reported.
  const year = month === 0 ? wall.getUTCFullYear() - 1 : wall.getUTCFullYear();
  const before = month === 0 ? 12 : month;
  const due: { kind: ReportKind; period: string }[] = [];
  if (settings?.monthly !== false)
    due.push({ kind: 'month', period: `${year}-${String(before).padStart(2, '0')}` });
  if (settings?.quarterly === true && month % 3 === 0)
    due.push({ kind: 'quarter', period: `${year}-Q${Math.ceil(before / 3)}` });
  return due;
}

/**
 * Makes the month's report on the first day of the next (London time), shortly after midnight, if none
 * exists; and the quarter's when `settings.reports.quarterly` is true. `settings.reports.monthly: false`
 * turns the monthly one off. Looks every 15 minutes; a report already there is left as it is.
 */
export class ReportSchedule implements Subsystem {
  readonly name = 'report-schedule';
  readonly #store: ReportsStore;
  readonly #sources: ComplianceSources;
  readonly #timers: Timers;
  readonly #logger: Logger;
  #estate: Estate | undefined;
  #timer: unknown;
  #running: Promise<unknown> = Promise.resolve();

  constructor(options: { store: ReportsStore; sources: ComplianceSources; timers: Timers; logger: Logger }) {
    this.#store = options.store;
    this.#sources = options.sources;
    this.#timers = options.timers;
    this.#logger = options.logger;
  }

  apply(estate: Estate): void {
    this.#estate = estate;
  }

  start(): void {
    this.#schedule(FIRST_AFTER_MS);
  }

  async stop(): Promise<void> {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One look at the clock: the ids of the reports it made. */
  async runOnce(): Promise<string[]> {
    const estate = this.#estate;
    if (!estate) return [];
    const made: string[] = [];
    const now = this.#timers.now();
    for (const { kind, period } of dueAt(now, estate.settings.reports)) {
      if (await this.#store.latest(kind, period)) continue;
      const row = await createReport(
        { estate, sources: this.#sources, store: this.#store },
        { kind, period, now, createdBy: 'schedule' },
      );
      this.#logger.info('made the report', { id: row.id, kind, period });
      made.push(row.id);
    }
    return made;
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#timers.setTimeout(() => {
      this.#running = this.runOnce().catch((error: unknown) =>
        this.#logger.error('making the scheduled report failed', { error: String(error) }),
      );
      this.#schedule(EVERY_MS);
    }, delayMs);
  }
}
