import { durationMs } from '../../common/duration.js';
import type { Logger } from '../../common/logger.js';
import type { Timers } from '../../common/timers.js';
import type { Estate } from '../config/schema.js';
import type { Subsystem } from '../lifecycle/subsystem.js';
import type { AccessStore } from '../store/access.js';
import { sessionTimes } from './sessions.js';

export const DEFAULT_AUDIT_RETENTION = '730d';
const EVERY_MS = 60 * 60_000;
/** The first pass waits until the server has settled, as the results' pruning does. */
const FIRST_AFTER_MS = 60_000;

/**
 * Removes what access keeps only for a while: sessions past their idle or absolute end (each is
 * refused when presented anyway; this keeps the table small) and audit entries older than
 * `settings.retention.audit`. Once a minute after the start, then every hour.
 */
export class AccessPruning implements Subsystem {
  readonly name = 'access-pruning';
  readonly #store: Pick<AccessStore, 'pruneSessions' | 'pruneAudit'>;
  readonly #timers: Timers;
  readonly #logger: Logger;
  #estate: Estate | undefined;
  #timer: unknown;
  #running: Promise<unknown> = Promise.resolve();

  constructor(options: {
    store: Pick<AccessStore, 'pruneSessions' | 'pruneAudit'>;
    timers: Timers;
    logger: Logger;
  }) {
    this.#store = options.store;
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

  /** One pass: what was removed. */
  async pruneOnce(): Promise<{ sessions: number; audit: number }> {
    const now = this.#timers.now();
    const times = sessionTimes(this.#estate?.access);
    const keepAudit = durationMs(this.#estate?.settings.retention?.audit ?? DEFAULT_AUDIT_RETENTION);
    const sessions = await this.#store.pruneSessions(now - times.idleMs, now);
    const audit = await this.#store.pruneAudit(now - keepAudit);
    if (sessions + audit > 0)
      this.#logger.info('pruned ended sessions and old audit entries', { sessions, audit });
    return { sessions, audit };
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#timers.setTimeout(() => {
      this.#running = this.pruneOnce().catch((error: unknown) =>
        this.#logger.error('pruning sessions and the audit log failed', { error: String(error) }),
      );
      this.#schedule(EVERY_MS);
    }, delayMs);
  }
}
