import type { AlertMessage } from '../../alerts/message.js';
import type { HeldMessage } from '../../store/incidents.js';
import type { Db } from '../open.js';

interface HeldDbRow {
  id: number;
  incident_id: number;
  channel: string;
  message: string;
  held_at: number;
  until: number;
}

const toHeld = (row: HeldDbRow): HeldMessage => ({
  id: String(row.id),
  incidentId: String(row.incident_id),
  channel: row.channel,
  message: JSON.parse(row.message) as AlertMessage,
  heldAt: row.held_at,
  until: row.until,
});

/** Messages waiting for a channel's quiet hours to end (migration 0017). */
export function heldRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO held_notifications (incident_id, channel, idempotency_key, message, held_at, until)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, idempotency_key) DO NOTHING`);
  const due = db.prepare<[number], HeldDbRow>(
    'SELECT * FROM held_notifications WHERE until <= ? ORDER BY id',
  );
  const forIncident = db.prepare<[number, string], HeldDbRow>(
    'SELECT * FROM held_notifications WHERE incident_id = ? AND channel = ? ORDER BY id DESC LIMIT 1',
  );
  const remove = db.prepare('DELETE FROM held_notifications WHERE id = ?');
  return {
    /** False when the channel already holds this message (the same key). */
    hold(held: Omit<HeldMessage, 'id'>): boolean {
      const { incidentId, channel, message, heldAt, until } = held;
      return (
        insert.run(
          Number(incidentId),
          channel,
          message.idempotencyKey,
          JSON.stringify(message),
          heldAt,
          until,
        ).changes > 0
      );
    },
    due: (now: number) => due.all(now).map(toHeld),
    latestFor(incidentId: string, channel: string): HeldMessage | undefined {
      const row = forIncident.get(Number(incidentId), channel);
      return row && toHeld(row);
    },
    release: (id: string) => void remove.run(Number(id)),
  };
}
