import type { AlertMessage } from '../../alerts/message.js';
import type { Db } from '../../db/open.js';
import { notificationsRepo } from '../../db/repos/notifications.js';
import type {
  Enqueued,
  LastDelivery,
  NotificationQuery,
  NotificationRow,
  NotificationsStore,
  PendingSummary,
} from '../notifications.js';
import type { WriteHealth } from './writes.js';

export class SqliteNotificationsStore implements NotificationsStore {
  readonly #writes: WriteHealth;
  readonly #rows;

  constructor(db: Db, writes: WriteHealth) {
    this.#writes = writes;
    this.#rows = notificationsRepo(db);
  }

  async enqueue(channel: string, message: AlertMessage, at: number): Promise<Enqueued> {
    return this.#writes.run(() => this.#rows.enqueue(channel, message, at));
  }

  async heads(): Promise<NotificationRow[]> {
    return this.#rows.heads();
  }

  async head(channel: string): Promise<NotificationRow | undefined> {
    return this.#rows.head(channel);
  }

  async notification(id: number): Promise<NotificationRow | undefined> {
    return this.#rows.notification(id);
  }

  async markSent(id: number, at: number): Promise<void> {
    this.#writes.run(() => this.#rows.markSent(id, at));
  }

  async markRetry(id: number, at: number, nextAttemptAt: number, reason: string): Promise<void> {
    this.#writes.run(() => this.#rows.markRetry(id, at, nextAttemptAt, reason));
  }

  async markUndelivered(id: number, at: number, reason: string): Promise<void> {
    this.#writes.run(() => this.#rows.markUndelivered(id, at, reason));
  }

  async requeue(id: number, at: number): Promise<boolean> {
    return this.#writes.run(() => this.#rows.requeue(id, at));
  }

  async list(query: NotificationQuery): Promise<NotificationRow[]> {
    return this.#rows.list(query);
  }

  async lastDeliveries(): Promise<LastDelivery[]> {
    return this.#rows.lastDeliveries();
  }

  async undeliveredCounts(): Promise<Map<string, number>> {
    return this.#rows.undeliveredCounts();
  }

  async pendingSummary(): Promise<PendingSummary[]> {
    return this.#rows.pendingSummary();
  }

  async pruneSent(before: number, limit: number, refreshesBefore?: number): Promise<number> {
    return this.#writes.run(() => this.#rows.pruneSent(before, limit, refreshesBefore));
  }
}
