/**
 * A refresh to Alertmanager (the same firing alert sent again so that it does not expire) is pointless
 * once a newer refresh of the same incident waits behind it, or its resolved does: it is marked
 * `superseded` and never sent, so a channel that was down gets one refresh per incident when it returns,
 * not one for every minute it was away. `incident_id` and `refresh` say which messages those are without
 * reading each message; the table is rebuilt because SQLite cannot widen a CHECK in place.
 */
export const sql = `
CREATE TABLE notifications_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  event TEXT NOT NULL,
  incident_id TEXT,
  refresh INTEGER NOT NULL DEFAULT 0 CHECK (refresh IN (0, 1)),
  message TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'undelivered', 'superseded')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_attempt_at INTEGER,
  last_error TEXT,
  sent_at INTEGER,
  superseded_at INTEGER,
  UNIQUE (channel, idempotency_key)
) STRICT;
INSERT INTO notifications_new (id, channel, idempotency_key, event, incident_id, refresh, message, created_at,
  queued_at, state, attempts, next_attempt_at, last_attempt_at, last_error, sent_at)
SELECT id, channel, idempotency_key, event, json_extract(message, '$.alert.id'),
  coalesce(json_extract(message, '$.refresh'), 0), message, created_at, queued_at, state, attempts,
  next_attempt_at, last_attempt_at, last_error, sent_at
FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_queue ON notifications (state, channel, id);
CREATE INDEX notifications_sent ON notifications (sent_at) WHERE state = 'sent';
CREATE INDEX notifications_attempts ON notifications (channel, last_attempt_at);
CREATE INDEX notifications_refreshes ON notifications (channel, incident_id) WHERE state = 'pending' AND refresh = 1;
CREATE INDEX notifications_superseded ON notifications (superseded_at) WHERE state = 'superseded';
`;
