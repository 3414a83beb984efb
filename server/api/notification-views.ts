import type { Channel } from '../config/schema.js';
import type { LastDelivery, NotificationRow, NotificationState } from '../store/notifications.js';

/**
 * A notification as the API shows it: what it was about and how its delivery went. Not the message
 * itself: it may carry a signed acknowledgement link, which is for the channel's readers.
 */
export interface NotificationView {
  id: string;
  channel: string;
  state: NotificationState;
  event: string;
  idempotencyKey: string;
  alert: { id: string; title: string; severity: string };
  createdAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  lastError: string | null;
  /** While pending: when it is tried next. */
  nextAttemptAt: string | null;
  sentAt: string | null;
}

/** A channel as the dashboard shows it: whether its last delivery worked, and what it has not delivered. */
export interface ChannelDeliveryView {
  id: string;
  /** From the estate; null for a channel no longer in it. */
  organisation: string | null;
  lastDelivery: { at: string; ok: boolean; reason: string | null } | null;
  pending: number;
  undelivered: number;
}

export interface NotificationsResponse {
  items: NotificationView[];
  channels: ChannelDeliveryView[];
  /** The `before` that gives the next page. */
  next?: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function notificationView(row: NotificationRow): NotificationView {
  const { alert } = row.message;
  return {
    id: String(row.id),
    channel: row.channel,
    state: row.state,
    event: row.message.event,
    idempotencyKey: row.idempotencyKey,
    alert: { id: alert.id, title: alert.title, severity: alert.severity },
    createdAt: new Date(row.createdAt).toISOString(),
    attempts: row.attempts,
    lastAttemptAt: iso(row.lastAttemptAt),
    lastError: row.lastError,
    nextAttemptAt: row.state === 'pending' ? iso(row.nextAttemptAt) : null,
    sentAt: iso(row.sentAt),
  };
}

/** Every channel in the estate or in the outbox, among those the caller may see, by id. */
export function channelViews(
  visible: (channel: string) => boolean,
  estate: readonly Channel[],
  last: readonly LastDelivery[],
  pending: ReadonlyMap<string, number>,
  undelivered: ReadonlyMap<string, number>,
): ChannelDeliveryView[] {
  const lastOf = new Map(last.map((row) => [row.channel, row]));
  const ids = new Set([
    ...estate.map((c) => c.id),
    ...lastOf.keys(),
    ...pending.keys(),
    ...undelivered.keys(),
  ]);
  return [...ids]
    .filter(visible)
    .sort()
    .map((id) => {
      const delivery = lastOf.get(id);
      return {
        id,
        organisation: estate.find((c) => c.id === id)?.organisation ?? null,
        lastDelivery: delivery
          ? { at: new Date(delivery.at).toISOString(), ok: delivery.ok, reason: delivery.reason }
          : null,
        pending: pending.get(id) ?? 0,
        undelivered: undelivered.get(id) ?? 0,
      };
    });
}
