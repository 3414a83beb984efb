import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import type { Estate } from '../../config/schema.js';
import type { Subsystem } from '../../lifecycle/subsystem.js';
import type { DemoHistoryStore } from '../../store/demo-history.js';
import { beginDemoHistory, writeDemoHistory } from './seed.js';

interface DemoHistoryDeps {
  store: DemoHistoryStore;
  clock: Clock;
  logger: Logger;
  /** Run once the whole history is written on this start (the demo's reports are made from it). */
  afterWritten?: (estate: Estate) => Promise<void>;
}

/**
 * The demo's 13 months of simulated history. Its span is fixed at the start, before anything probes,
 * so it ends where the live runs begin; its months are then written in the background, newest first,
 * in a few seconds, so the server answers at once and the first page load has compliance, outages
 * and last year's figures. Once per database: later starts find the marker, or carry on from where a
 * stopped start got to.
 */
export class DemoHistorySubsystem implements Subsystem {
  readonly name = 'demo history';
  readonly #deps: DemoHistoryDeps;
  #estate: Estate | undefined;
  #writing: Promise<void> | undefined;
  #stopped = false;

  constructor(deps: DemoHistoryDeps) {
    this.#deps = deps;
  }

  /** The history is of the estate the demo first started with; a reload does not rewrite the past. */
  apply(estate: Estate): void {
    this.#estate ??= estate;
  }

  async start(): Promise<void> {
    const { store, clock, logger } = this.#deps;
    const pending = await beginDemoHistory(store, clock.now());
    if (!pending) {
      logger.info('demo history already in the database');
      return;
    }
    const span = {
      from: new Date(pending.span.from).toISOString(),
      to: new Date(pending.span.to).toISOString(),
    };
    const cpu = process.cpuUsage();
    this.#writing = writeDemoHistory(
      store,
      this.#estate as Estate,
      pending,
      () => clock.now(),
      () => this.#stopped,
    ).then(
      async (report) => {
        const used = process.cpuUsage(cpu);
        logger.info(
          report.finished
            ? 'demo history generated (simulated, marked as such)'
            : 'demo history stopped part way; the next start carries on',
          {
            ...span,
            stretches: report.stretches,
            rollups: report.rollups,
            ms: report.ms,
            // The process's, so including whatever else ran meanwhile (the first live runs, say).
            cpuMs: Math.round((used.user + used.system) / 1000),
          },
        );
        // Awaited here, so stop() waits for it too.
        if (report.finished && this.#deps.afterWritten)
          await this.#deps
            .afterWritten(this.#estate as Estate)
            .catch((error: unknown) =>
              logger.error('the demo could not make its reports', { error: String(error) }),
            );
      },
      (error: unknown) =>
        logger.error('demo history could not be written; the next start tries again', {
          error: String(error),
        }),
    );
  }

  /** Stops between two months: what is written stays, and the next start writes the rest. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#writing;
  }
}
