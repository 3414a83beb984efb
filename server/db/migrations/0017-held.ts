/**
 * Messages held by a channel's quiet hours: stored in the same transaction as the incident timeline's
 * "held" entry, and handed to the notification outbox once `until` has passed, in `id` order. A message
 * handed over but not yet deleted (a stop in between) is handed over again: the outbox drops the repeat
 * by its idempotency key, so it is neither lost nor sent twice.
 */
export const sql = `
CREATE TABLE held_notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  channel TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  message TEXT NOT NULL,
  held_at INTEGER NOT NULL,
  until INTEGER NOT NULL,
  UNIQUE (channel, idempotency_key)
) STRICT;
CREATE INDEX held_notifications_until ON held_notifications (until, id);
CREATE INDEX held_notifications_incident ON held_notifications (incident_id, channel);
`;
