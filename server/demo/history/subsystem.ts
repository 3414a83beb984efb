import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import type { Estate } from '../../config/schema.js';
import type { Subsystem } from '../../lifecycle/subsystem.js';
import type { DemoHistoryStore } from '../../store/demo-history.js';
import { seedDemoHistory } from './seed.js';

/**
 * The demo's 13 months of simulated history, written at the start before anything probes, so the
 * first live runs carry straight on from its last simulated ones and the first page load has
 * compliance, outages and last year's figures. Once per database: later starts find the marker.
 */
export class DemoHistorySubsystem implements Subsystem {
  readonly name = 'demo history';
  readonly #deps: { store: DemoHistoryStore; clock: Clock; logger: Logger };
  #estate: Estate | undefined;

  constructor(deps: { store: DemoHistoryStore; clock: Clock; logger: Logger }) {
    this.#deps = deps;
  }

  /** The history is of the estate the demo first started with; a reload does not rewrite the past. */
  apply(estate: Estate): void {
    this.#estate ??= estate;
  }

  async start(): Promise<void> {
    const { store, clock, logger } = this.#deps;
    const cpu = process.cpuUsage();
    const report = await seedDemoHistory(store, this.#estate as Estate, clock.now());
    const span = {
      from: new Date(report.span.from).toISOString(),
      to: new Date(report.span.to).toISOString(),
    };
    if (!report.generated) {
      logger.info('demo history already in the database', span);
      return;
    }
    const used = process.cpuUsage(cpu);
    logger.info('demo history generated (simulated, marked as such)', {
      ...span,
      stretches: report.stretches,
      rollups: report.rollups,
      ms: report.ms,
      cpuMs: Math.round((used.user + used.system) / 1000),
    });
  }

  stop(): void {}
}
