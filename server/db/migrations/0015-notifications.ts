/**
 * The notification outbox: every message to a channel, stored before it is sent and marked sent only
 * once the channel accepted it. Ids grow with each message, so a channel's oldest pending message (its
 * head, which blocks the rest while it is retried) is the one with the lowest id. `queued_at` is when
 * the message last entered the queue (its creation, or an admin's retry): giving up counts from it.
 */
export const sql = `
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  event TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'undelivered')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_attempt_at INTEGER,
  last_error TEXT,
  sent_at INTEGER,
  UNIQUE (channel, idempotency_key)
) STRICT;
CREATE INDEX notifications_queue ON notifications (state, channel, id);
CREATE INDEX notifications_sent ON notifications (sent_at) WHERE state = 'sent';
CREATE INDEX notifications_attempts ON notifications (channel, last_attempt_at);
`;
