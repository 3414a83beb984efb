import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { Estate } from '../config/schema.js';
import { guardRetirement } from '../estate/retire-guard.js';
import type { Subsystem } from '../lifecycle/subsystem.js';
import { countChanges, type SyncReport } from './estate.js';
import type { Stores } from './stores.js';

/**
 * The stores as a part of the running server: each estate applied is checked against the mass
 * retirement guard, then synced; stopping closes them, last of all.
 */
export class StoreSubsystem implements Subsystem {
  readonly name = 'store';
  readonly stores: Stores;
  readonly #deps: { configFile: string; clock: Clock; logger: Logger };
  #lastSync: SyncReport | undefined;

  constructor(stores: Stores, deps: { configFile: string; clock: Clock; logger: Logger }) {
    this.stores = stores;
    this.#deps = deps;
  }

  /** What the last estate applied changed. */
  get lastSync(): SyncReport | undefined {
    return this.#lastSync;
  }

  /** Refuses (MassRetireError) an estate that would retire most checks without saying so. */
  async apply(estate: Estate): Promise<void> {
    const { configFile, clock, logger } = this.#deps;
    guardRetirement(await this.stores.estate.activeCheckIds(), estate, configFile);
    const report = await this.stores.estate.syncEstate(estate, clock.now());
    this.#lastSync = report;
    logSync(logger, report);
  }

  start(): void {}

  stop(): Promise<void> {
    return this.stores.close();
  }
}

function logSync(logger: Logger, report: SyncReport): void {
  const summary = Object.fromEntries(
    Object.entries(report).map(([kind, r]) => [
      kind,
      `+${r.added.length} ~${r.changed.length} ↺${r.restored.length} -${r.retired.length}`,
    ]),
  );
  logger.info(countChanges(report) === 0 ? 'estate unchanged' : 'estate synced', summary);
}
