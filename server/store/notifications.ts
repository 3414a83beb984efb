import type { AlertMessage } from '../alerts/message.js';

export type NotificationState = 'pending' | 'sent' | 'undelivered';
export const NOTIFICATION_STATES: readonly NotificationState[] = ['pending', 'sent', 'undelivered'];

/** One message to one channel, as the outbox keeps it. Times are UTC ms. */
export interface NotificationRow {
  id: number;
  channel: string;
  idempotencyKey: string;
  message: AlertMessage;
  createdAt: number;
  /** When it last entered the queue (created, or put back by an admin): giving up counts from here. */
  queuedAt: number;
  state: NotificationState;
  attempts: number;
  /** Not tried again before this. */
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  /** Why the last attempt failed, with any address's path removed; null once none has. */
  lastError: string | null;
  sentAt: number | null;
}

/** A channel's most recent attempt at any message. */
export interface LastDelivery {
  channel: string;
  at: number;
  ok: boolean;
  reason: string | null;
}

/** What waits per channel, for /metrics. */
export interface PendingSummary {
  channel: string;
  count: number;
  oldestQueuedAt: number;
}

export interface NotificationQuery {
  state?: NotificationState;
  /** Only these channels; undefined for all. */
  channels?: string[];
  /** Only ids below this one (the next page). */
  before?: number;
  limit: number;
}

/**
 * The notification outbox: messages stored before they are sent, sent in order per channel, kept
 * pending until a channel accepted them (so a restart re-sends what was in flight, with the same key).
 */
export interface NotificationsStore {
  /** Stores a pending message; false (and nothing changed) when the channel already has its key. */
  enqueue(channel: string, message: AlertMessage, at: number): Promise<boolean>;
  /** Each channel's oldest pending message, due or not. */
  heads(): Promise<NotificationRow[]>;
  /** One channel's oldest pending message. */
  head(channel: string): Promise<NotificationRow | undefined>;
  notification(id: number): Promise<NotificationRow | undefined>;
  markSent(id: number, at: number): Promise<void>;
  /** A failed attempt to be tried again at `nextAttemptAt`. */
  markRetry(id: number, at: number, nextAttemptAt: number, reason: string): Promise<void>;
  markUndelivered(id: number, at: number, reason: string): Promise<void>;
  /** Puts an undelivered message back in its channel's queue, due now; false when it is not undelivered. */
  requeue(id: number, at: number): Promise<boolean>;
  /** Newest first. */
  list(query: NotificationQuery): Promise<NotificationRow[]>;
  lastDeliveries(): Promise<LastDelivery[]>;
  /** How many are undelivered, per channel. */
  undeliveredCounts(): Promise<Map<string, number>>;
  pendingSummary(): Promise<PendingSummary[]>;
  /** Deletes up to `limit` messages sent before `before`; how many were deleted. */
  pruneSent(before: number, limit: number): Promise<number>;
}
