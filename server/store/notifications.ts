import type { AlertMessage } from '../alerts/message.js';

/** `superseded`: a refresh to Alertmanager replaced, unsent, by a newer one of its incident or its resolved. */
export type NotificationState = 'pending' | 'sent' | 'undelivered' | 'superseded';
export const NOTIFICATION_STATES: readonly NotificationState[] = [
  'pending',
  'sent',
  'undelivered',
  'superseded',
];

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

/** What storing a message did. */
export interface Enqueued {
  /** False (and nothing changed) when the channel already has the message's key. */
  stored: boolean;
  /** How many of the channel's waiting refreshes of the same incident it made pointless. */
  superseded: number;
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
  /**
   * Stores a pending message, unless the channel already has its key. A refresh, or a resolved, marks
   * the channel's waiting refreshes of the same incident superseded in the same transaction: only the
   * newest refresh is worth sending, and none once the incident is resolved. Nothing else is superseded.
   */
  enqueue(channel: string, message: AlertMessage, at: number): Promise<Enqueued>;
  /** Each channel's oldest pending message, due or not. */
  heads(): Promise<NotificationRow[]>;
  /** One channel's oldest pending message. */
  head(channel: string): Promise<NotificationRow | undefined>;
  notification(id: number): Promise<NotificationRow | undefined>;
  /** Also from superseded: a refresh already in flight when a newer one came was still accepted. */
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
  /**
   * Deletes up to `limit` messages sent, or superseded, before `before`, and refreshes sent before
   * `refreshesBefore` (default `before`); how many were deleted.
   */
  pruneSent(before: number, limit: number, refreshesBefore?: number): Promise<number>;
}
