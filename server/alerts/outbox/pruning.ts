import type { Logger } from '../../../common/logger.js';
import type { Timers } from '../../../common/timers.js';
import type { Subsystem } from '../../lifecycle/subsystem.js';
import type { NotificationsStore } from '../../store/notifications.js';

/** Sent messages are kept this long (the dashboard's last deliveries and the incident timelines read them). */
export const SENT_RETENTION_MS = 30 * 24 * 60 * 60_000;
/**
 * Sent refreshes (the same firing alert sent to Alertmanager again each minute so that it does not
 * expire) are kept a day: 1,440 a day for each open incident, each saying nothing the incident's
 * `opened` did not, and in no incident's timeline.
 */
export const SENT_REFRESH_RETENTION_MS = 24 * 60 * 60_000;
const EVERY_MS = 60 * 60_000;
const FIRST_AFTER_MS = 60_000;

/**
 * Deletes sent messages older than 30 days (sent refreshes a day) in small batches, yielding between them so sends and
 * requests never wait long behind it. Pending and undelivered messages are never deleted.
 */
export async function pruneSentOnce(
  store: Pick<NotificationsStore, 'pruneSent'>,
  now: number,
  options: { batch?: number } = {},
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await store.pruneSent(
      now - SENT_RETENTION_MS,
      options.batch ?? 500,
      now - SENT_REFRESH_RETENTION_MS,
    );
    deleted += batch;
    if (batch === 0) return deleted;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Prunes sent messages a minute after the start, then every hour. */
export class OutboxPruning implements Subsystem {
  readonly name = 'notification-pruning';
  readonly #store: Pick<NotificationsStore, 'pruneSent'>;
  readonly #timers: Timers;
  readonly #logger: Logger;
  #timer: unknown;
  #running: Promise<unknown> = Promise.resolve();

  constructor(deps: { store: Pick<NotificationsStore, 'pruneSent'>; timers: Timers; logger: Logger }) {
    this.#store = deps.store;
    this.#timers = deps.timers;
    this.#logger = deps.logger;
  }

  apply(): void {}

  start(): void {
    this.#schedule(FIRST_AFTER_MS);
  }

  async stop(): Promise<void> {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#timers.setTimeout(() => {
      this.#running = pruneSentOnce(this.#store, this.#timers.now())
        .then((deleted) => {
          if (deleted > 0) this.#logger.info('pruned sent notifications', { deleted });
        })
        .catch((error: unknown) =>
          this.#logger.error('pruning sent notifications failed', { error: String(error) }),
        );
      this.#schedule(EVERY_MS);
    }, delayMs);
  }
}
