import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../../server/alerts/message.js';
import { NotificationOutbox } from '../../../server/alerts/outbox/outbox.js';
import {
  pruneSentOnce,
  SENT_REFRESH_RETENTION_MS,
  SENT_RETENTION_MS,
} from '../../../server/alerts/outbox/pruning.js';
import { migrations } from '../../../server/db/migrations/index.js';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { ManualTimers } from '../../helpers/manual-timers.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { message } from './messages.js';

const tmp = useTmpDir();
const t0 = Date.UTC(2026, 10, 24, 9, 42);

/** Alertmanager's refresh of an incident's alert. */
const refresh = (key: string, incident = 'inc-1'): AlertMessage => ({
  ...message(key, incident, 'reminder'),
  refresh: true,
});

let stores: SqliteStores | undefined;
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});

const open = (file = join(tmp(), 'outbox.db')) => {
  stores = SqliteStores.open(file);
  return stores.notifications;
};

describe('refreshes to Alertmanager in the outbox', () => {
  it('are superseded by a newer refresh of the same incident and channel, in the same write, and nothing else is', async () => {
    const n = open();
    await n.enqueue('am', message('opened-1', 'inc-1'), t0);
    await n.enqueue('am', refresh('r1', 'inc-1'), t0 + 60_000);
    await n.enqueue('am', refresh('r1-other', 'inc-2'), t0 + 60_000);
    await n.enqueue('other-am', refresh('r1', 'inc-1'), t0 + 60_000);
    await n.enqueue('am', message('ack-1', 'inc-1', 'acknowledged'), t0 + 90_000);
    expect(await n.enqueue('am', refresh('r2', 'inc-1'), t0 + 120_000)).toEqual({
      stored: true,
      superseded: 1,
    });
    // The same refresh again (after a restart): dropped, and supersedes nothing.
    expect(await n.enqueue('am', refresh('r2', 'inc-1'), t0 + 130_000)).toEqual({
      stored: false,
      superseded: 0,
    });
    const rows = (await n.list({ limit: 100 })).reverse();
    expect(rows.map((r) => [r.channel, r.idempotencyKey, r.state])).toEqual([
      ['am', 'opened-1', 'pending'],
      ['am', 'r1', 'superseded'],
      ['am', 'r1-other', 'pending'],
      ['other-am', 'r1', 'pending'],
      ['am', 'ack-1', 'pending'],
      ['am', 'r2', 'pending'],
    ]);
    // Superseded is neither waiting nor undelivered.
    expect(await n.pendingSummary()).toEqual([
      { channel: 'am', count: 4, oldestQueuedAt: t0 },
      { channel: 'other-am', count: 1, oldestQueuedAt: t0 + 60_000 },
    ]);
    expect(await n.undeliveredCounts()).toEqual(new Map());
    expect((await n.list({ state: 'superseded', limit: 10 })).map((r) => r.idempotencyKey)).toEqual(['r1']);
  });

  it('are all dropped by the incident’s resolved, which is sent after the messages before it', async () => {
    const n = open();
    await n.enqueue('am', message('opened-1', 'inc-1'), t0);
    await n.enqueue('am', refresh('r1', 'inc-1'), t0 + 60_000);
    await n.markSent(2, t0 + 61_000);
    await n.enqueue('am', refresh('r2', 'inc-1'), t0 + 120_000);
    await n.enqueue('am', refresh('r2-other', 'inc-2'), t0 + 120_000);
    expect(await n.enqueue('am', message('resolved-1', 'inc-1', 'resolved'), t0 + 150_000)).toEqual({
      stored: true,
      superseded: 1,
    });
    const states = (await n.list({ limit: 100 })).reverse().map((r) => [r.idempotencyKey, r.state]);
    expect(states).toEqual([
      ['opened-1', 'pending'],
      ['r1', 'sent'],
      ['r2', 'superseded'],
      ['r2-other', 'pending'],
      ['resolved-1', 'pending'],
    ]);
    expect((await n.head('am'))?.idempotencyKey).toBe('opened-1');
  });

  it('is skipped by the dispatcher even while being retried, and recorded as sent if its channel accepted it in flight', async () => {
    const n = open();
    await n.enqueue('am', refresh('r1'), t0);
    await n.markRetry(1, t0 + 1_000, t0 + 6_000, 'answered 503');
    await n.enqueue('am', refresh('r2'), t0 + 60_000);
    expect((await n.head('am'))?.idempotencyKey).toBe('r2');
    expect((await n.heads()).map((r) => r.idempotencyKey)).toEqual(['r2']);
    // A retry or giving up of the superseded one, answered late, changes nothing.
    await n.markRetry(1, t0 + 61_000, t0 + 70_000, 'answered 503');
    await n.markUndelivered(1, t0 + 61_000, 'answered 400');
    expect(await n.notification(1)).toMatchObject({ state: 'superseded', attempts: 1 });
    // Accepted in flight: it did reach the channel.
    await n.markSent(1, t0 + 61_500);
    expect(await n.notification(1)).toMatchObject({ state: 'sent', sentAt: t0 + 61_500 });
  });

  it('are pruned 30 days after they were superseded, like sent messages', async () => {
    const n = open();
    const now = t0 + 40 * 86_400_000;
    await n.enqueue('am', refresh('r1'), t0);
    await n.enqueue('am', refresh('r2'), t0 + 60_000);
    await n.enqueue('am', refresh('r3'), now - SENT_RETENTION_MS + 1);
    expect(await pruneSentOnce(n, now, { batch: 10 })).toBe(1);
    expect((await n.list({ limit: 10 })).map((r) => [r.idempotencyKey, r.state])).toEqual([
      ['r3', 'pending'],
      ['r2', 'superseded'],
    ]);
  });

  it('once sent, are pruned after a day, while other sent messages are kept 30 days', async () => {
    const n = open();
    const now = t0 + 3 * 86_400_000;
    await n.enqueue('am', message('opened', 'inc-1', 'opened'), t0);
    await n.markSent(1, t0 + 1_000);
    await n.enqueue('am', refresh('r1'), t0 + 60_000);
    await n.markSent(2, t0 + 61_000);
    await n.enqueue('am', refresh('r2'), now - SENT_REFRESH_RETENTION_MS + 60_000);
    await n.markSent(3, now - SENT_REFRESH_RETENTION_MS + 61_000);
    expect(await pruneSentOnce(n, now, { batch: 10 })).toBe(1);
    expect((await n.list({ limit: 10 })).map((r) => [r.idempotencyKey, r.state])).toEqual([
      ['r2', 'sent'],
      ['opened', 'sent'],
    ]);
  });

  it('are counted as superseded by the outbox, which wakes the dispatcher only for a stored message', async () => {
    const n = open();
    const counted: [string, number][] = [];
    let queued = 0;
    const outbox = new NotificationOutbox({
      store: n,
      clock: new ManualTimers(t0),
      onQueued: () => queued++,
      onSuperseded: (channel, count) => counted.push([channel, count]),
    });
    await outbox.notify('am', refresh('r1', 'inc-1'));
    await outbox.notify('am', refresh('r1', 'inc-1'));
    await outbox.notify('am', refresh('r2', 'inc-1'));
    await outbox.notify('am', message('resolved', 'inc-1', 'resolved'));
    expect(counted).toEqual([
      ['am', 1],
      ['am', 1],
    ]);
    expect(queued).toBe(3);
  });

  it('are told apart in a database written before refreshes were superseded', async () => {
    const file = join(tmp(), 'older.db');
    const db = new Database(file);
    db.transaction(() => {
      for (const m of migrations.filter((m) => m.version <= 17)) db.exec(m.sql);
      db.pragma('user_version = 17');
    })();
    const insert = db.prepare(`
      INSERT INTO notifications (channel, idempotency_key, event, message, created_at, queued_at, state, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`);
    for (const m of [message('opened-1'), refresh('r1'), refresh('r1-other', 'inc-2')])
      insert.run('am', m.idempotencyKey, m.event, JSON.stringify(m), t0, t0, t0);
    db.close();
    const n = open(file);
    expect(await n.enqueue('am', refresh('r2'), t0 + 60_000)).toEqual({ stored: true, superseded: 1 });
    expect((await n.list({ limit: 10 })).reverse().map((r) => [r.idempotencyKey, r.state])).toEqual([
      ['opened-1', 'pending'],
      ['r1', 'superseded'],
      ['r1-other', 'pending'],
      ['r2', 'pending'],
    ]);
    expect((await n.notification(1))?.message).toEqual(message('opened-1'));
  });
});
