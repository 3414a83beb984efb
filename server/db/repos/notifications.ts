import type { AlertMessage } from '../../alerts/message.js';
import type {
  Enqueued,
  LastDelivery,
  NotificationQuery,
  NotificationRow,
  NotificationState,
  PendingSummary,
} from '../../store/notifications.js';
import type { Db } from '../open.js';

interface NotificationDbRow {
  id: number;
  channel: string;
  idempotency_key: string;
  event: string;
  message: string;
  created_at: number;
  queued_at: number;
  state: NotificationState;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_error: string | null;
  sent_at: number | null;
}

const rowOf = (row: NotificationDbRow): NotificationRow => ({
  id: row.id,
  channel: row.channel,
  idempotencyKey: row.idempotency_key,
  message: JSON.parse(row.message) as AlertMessage,
  createdAt: row.created_at,
  queuedAt: row.queued_at,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastAttemptAt: row.last_attempt_at,
  lastError: row.last_error,
  sentAt: row.sent_at,
});

/** The notification outbox's table. */
export function notificationsRepo(db: Db) {
  // A second message with a channel's key is the same message: kept as first stored.
  const insert = db.prepare(`
    INSERT INTO notifications (channel, idempotency_key, event, incident_id, refresh, message, created_at,
      queued_at, state, next_attempt_at)
    VALUES (@channel, @key, @event, @incident, @refresh, @message, @at, @at, 'pending', @at)
    ON CONFLICT (channel, idempotency_key) DO NOTHING`);
  // Only refreshes, and only those queued before the message that makes them pointless: order is kept.
  const supersede = db.prepare(`
    UPDATE notifications SET state = 'superseded', superseded_at = @at
    WHERE channel = @channel AND incident_id = @incident AND refresh = 1 AND state = 'pending' AND id < @id`);
  const enqueue = db.transaction((channel: string, message: AlertMessage, at: number): Enqueued => {
    const incident = message.alert.id;
    const inserted = insert.run({
      channel,
      key: message.idempotencyKey,
      event: message.event,
      incident,
      refresh: message.refresh ? 1 : 0,
      message: JSON.stringify(message),
      at,
    });
    if (inserted.changes === 0) return { stored: false, superseded: 0 };
    if (!message.refresh && message.event !== 'resolved') return { stored: true, superseded: 0 };
    const id = Number(inserted.lastInsertRowid);
    return { stored: true, superseded: supersede.run({ channel, incident, id, at }).changes };
  });
  const heads = db.prepare<[], NotificationDbRow>(`
    SELECT * FROM notifications WHERE id IN
      (SELECT min(id) FROM notifications WHERE state = 'pending' GROUP BY channel)
    ORDER BY id`);
  const head = db.prepare<[string], NotificationDbRow>(
    "SELECT * FROM notifications WHERE state = 'pending' AND channel = ? ORDER BY id LIMIT 1",
  );
  const one = db.prepare<[number], NotificationDbRow>('SELECT * FROM notifications WHERE id = ?');
  const sent = db.prepare(`
    UPDATE notifications SET state = 'sent', attempts = attempts + 1, last_attempt_at = @at, sent_at = @at,
      superseded_at = NULL
    WHERE id = @id AND state IN ('pending', 'superseded')`);
  const retry = db.prepare(`
    UPDATE notifications SET attempts = attempts + 1, last_attempt_at = @at, last_error = @reason,
      next_attempt_at = @next
    WHERE id = @id AND state = 'pending'`);
  const undelivered = db.prepare(`
    UPDATE notifications SET state = 'undelivered', attempts = attempts + 1, last_attempt_at = @at,
      last_error = @reason
    WHERE id = @id AND state = 'pending'`);
  const requeue = db.prepare(`
    UPDATE notifications SET state = 'pending', queued_at = @at, next_attempt_at = @at
    WHERE id = @id AND state = 'undelivered'`);
  // SQLite takes the other columns from the row holding the max: each channel's latest attempt.
  const last = db.prepare<
    [],
    {
      channel: string;
      at: number;
      state: NotificationState;
      sent_at: number | null;
      last_error: string | null;
    }
  >(`
    SELECT channel, max(last_attempt_at) AS at, state, sent_at, last_error FROM notifications
    WHERE last_attempt_at IS NOT NULL GROUP BY channel ORDER BY channel`);
  const undeliveredCounts = db.prepare<[], { channel: string; n: number }>(
    "SELECT channel, count(*) AS n FROM notifications WHERE state = 'undelivered' GROUP BY channel",
  );
  const pending = db.prepare<[], { channel: string; n: number; oldest: number }>(`
    SELECT channel, count(*) AS n, min(queued_at) AS oldest FROM notifications
    WHERE state = 'pending' GROUP BY channel ORDER BY channel`);
  // Two statements, each a range of its own partial index.
  const prune = db.prepare(`
    DELETE FROM notifications WHERE id IN
      (SELECT id FROM notifications WHERE state = 'sent' AND sent_at < ? LIMIT ?)`);
  const pruneRefreshes = db.prepare(`
    DELETE FROM notifications WHERE id IN
      (SELECT id FROM notifications WHERE state = 'sent' AND refresh = 1 AND sent_at < ? LIMIT ?)`);
  const pruneSuperseded = db.prepare(`
    DELETE FROM notifications WHERE id IN
      (SELECT id FROM notifications WHERE state = 'superseded' AND superseded_at < ? LIMIT ?)`);

  return {
    enqueue: (channel: string, message: AlertMessage, at: number) => enqueue(channel, message, at),
    heads: () => heads.all().map(rowOf),
    head: (channel: string) => {
      const row = head.get(channel);
      return row && rowOf(row);
    },
    notification: (id: number) => {
      const row = one.get(id);
      return row && rowOf(row);
    },
    markSent: (id: number, at: number) => void sent.run({ id, at }),
    markRetry: (id: number, at: number, next: number, reason: string) =>
      void retry.run({ id, at, next, reason }),
    markUndelivered: (id: number, at: number, reason: string) => void undelivered.run({ id, at, reason }),
    requeue: (id: number, at: number) => requeue.run({ id, at }).changes > 0,
    list: (query: NotificationQuery) => {
      // Built per query: the filters are few and optional, and the channel list varies in length.
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.state) {
        where.push('state = ?');
        params.push(query.state);
      }
      if (query.channels) {
        where.push(`channel IN (${query.channels.map(() => '?').join(', ') || 'NULL'})`);
        params.push(...query.channels);
      }
      if (query.before !== undefined) {
        where.push('id < ?');
        params.push(query.before);
      }
      const sql = `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], NotificationDbRow>(sql)
        .all(...params, query.limit)
        .map(rowOf);
    },
    lastDeliveries: (): LastDelivery[] =>
      last.all().map((row) => {
        const ok = row.state === 'sent' && row.sent_at === row.at;
        return { channel: row.channel, at: row.at, ok, reason: ok ? null : row.last_error };
      }),
    undeliveredCounts: () => new Map(undeliveredCounts.all().map((row) => [row.channel, row.n])),
    pendingSummary: (): PendingSummary[] =>
      pending.all().map((row) => ({ channel: row.channel, count: row.n, oldestQueuedAt: row.oldest })),
    pruneSent: (before: number, limit: number, refreshesBefore = before) => {
      let deleted = prune.run(before, limit).changes;
      if (deleted < limit) deleted += pruneRefreshes.run(refreshesBefore, limit - deleted).changes;
      if (deleted < limit) deleted += pruneSuperseded.run(before, limit - deleted).changes;
      return deleted;
    },
  };
}
