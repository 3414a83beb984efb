import type { Clock } from '../../../common/clock.js';
import type { NotificationsStore } from '../../store/notifications.js';
import type { AlertMessage, Notifier } from '../message.js';

/**
 * Where alerting hands its messages: each is stored (pending) before `notify` resolves, and nothing is
 * sent here; the dispatcher sends them. A second message with a key the channel already has is the same
 * message (an incident's event noticed twice, or again after a restart) and is dropped. A refresh to
 * Alertmanager supersedes the channel's older unsent refreshes of its incident, and a resolved all of
 * them, so a channel that was down is not sent a backlog of refreshes of which only the newest counts.
 */
export class NotificationOutbox implements Notifier {
  readonly #store: Pick<NotificationsStore, 'enqueue'>;
  readonly #clock: Clock;
  readonly #queued: () => void;
  readonly #superseded: (channel: string, count: number) => void;

  constructor(deps: {
    store: Pick<NotificationsStore, 'enqueue'>;
    clock: Clock;
    /** Told after a new message is stored: the dispatcher, so it need not wait for its next look. */
    onQueued?: () => void;
    /** Told how many waiting refreshes a message made pointless: /metrics counts them. */
    onSuperseded?: (channel: string, count: number) => void;
  }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#queued = deps.onQueued ?? (() => {});
    this.#superseded = deps.onSuperseded ?? (() => {});
  }

  async notify(channelId: string, message: AlertMessage): Promise<void> {
    // Refused rather than stored: without both, a repeat could not be told from a new message.
    if (!channelId) throw new Error('a notification needs the id of the channel it is for');
    if (!message.idempotencyKey)
      throw new Error(`a notification for channel '${channelId}' needs an idempotency key`);
    const enqueued = await this.#store.enqueue(channelId, message, this.#clock.now());
    if (enqueued.superseded > 0) this.#superseded(channelId, enqueued.superseded);
    if (enqueued.stored) this.#queued();
  }
}
