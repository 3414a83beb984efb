import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneSentOnce, SENT_RETENTION_MS } from '../../server/alerts/outbox/pruning.js';
import type { Stores } from '../../server/store/stores.js';
import { message } from '../alerts/outbox/messages.js';

const t0 = Date.UTC(2026, 10, 24, 9, 42);
const DAY = 86_400_000;

/** What every notifications store must do: keep messages once per key, in order per channel, until sent. */
export function notificationsContract(name: string, create: () => Promise<Stores>): void {
  describe(`Notifications store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps one message per channel and key, and gives each channel its oldest pending as its head', async () => {
      const n = store.notifications;
      const stored = { stored: true, superseded: 0 };
      expect(await n.enqueue('a', message('k1'), t0)).toEqual(stored);
      expect(await n.enqueue('a', message('k1', 'other'), t0 + 1)).toEqual({ stored: false, superseded: 0 });
      expect(await n.enqueue('b', message('k1'), t0 + 2)).toEqual(stored);
      expect(await n.enqueue('a', message('k2'), t0 + 3)).toEqual(stored);
      expect((await n.heads()).map((row) => [row.channel, row.idempotencyKey])).toEqual([
        ['a', 'k1'],
        ['b', 'k1'],
      ]);
      const head = await n.head('a');
      expect(head).toMatchObject({
        id: 1,
        state: 'pending',
        attempts: 0,
        createdAt: t0,
        queuedAt: t0,
        nextAttemptAt: t0,
        lastAttemptAt: null,
        lastError: null,
        sentAt: null,
      });
      expect(head?.message).toEqual(message('k1'));
      expect(await n.pendingSummary()).toEqual([
        { channel: 'a', count: 2, oldestQueuedAt: t0 },
        { channel: 'b', count: 1, oldestQueuedAt: t0 + 2 },
      ]);
    });

    it('records retries, sending and giving up, each only from pending; puts back only an undelivered one', async () => {
      const n = store.notifications;
      await n.enqueue('a', message('k1'), t0);
      await n.enqueue('a', message('k2'), t0);
      await n.markRetry(1, t0 + 10, t0 + 5_010, 'answered 503');
      expect(await n.head('a')).toMatchObject({
        id: 1,
        attempts: 1,
        nextAttemptAt: t0 + 5_010,
        lastError: 'answered 503',
      });
      await n.markUndelivered(1, t0 + 20, 'answered 400');
      expect((await n.head('a'))?.id).toBe(2);
      await n.markSent(2, t0 + 30);
      expect(await n.head('a')).toBeUndefined();
      // Already sent: not changed by a late answer.
      await n.markUndelivered(2, t0 + 40, 'late');
      expect(await n.notification(2)).toMatchObject({ state: 'sent', sentAt: t0 + 30, attempts: 1 });
      expect(await n.requeue(2, t0 + 50)).toBe(false);
      expect(await n.undeliveredCounts()).toEqual(new Map([['a', 1]]));
      expect(await n.lastDeliveries()).toEqual([{ channel: 'a', at: t0 + 30, ok: true, reason: null }]);
      expect(await n.requeue(1, t0 + 60)).toBe(true);
      expect(await n.head('a')).toMatchObject({
        id: 1,
        state: 'pending',
        queuedAt: t0 + 60,
        nextAttemptAt: t0 + 60,
        createdAt: t0,
      });
      await n.markRetry(1, t0 + 70, t0 + 5_070, 'refused');
      expect(await n.lastDeliveries()).toEqual([{ channel: 'a', at: t0 + 70, ok: false, reason: 'refused' }]);
    });

    it('lists newest first by state, channel and page', async () => {
      const n = store.notifications;
      for (const [channel, key] of [
        ['a', 'k1'],
        ['b', 'k2'],
        ['a', 'k3'],
        ['c', 'k4'],
      ] as const)
        await n.enqueue(channel, message(key), t0);
      await n.markSent(3, t0 + 1);
      const ids = async (query: Parameters<typeof n.list>[0]) => (await n.list(query)).map((row) => row.id);
      expect(await ids({ limit: 10 })).toEqual([4, 3, 2, 1]);
      expect(await ids({ limit: 10, state: 'pending' })).toEqual([4, 2, 1]);
      expect(await ids({ limit: 10, channels: ['a', 'c'] })).toEqual([4, 3, 1]);
      expect(await ids({ limit: 10, channels: [] })).toEqual([]);
      expect(await ids({ limit: 2, before: 4 })).toEqual([3, 2]);
    });

    it('prunes only sent messages past 30 days, in batches', async () => {
      const n = store.notifications;
      const now = t0 + 40 * DAY;
      for (let i = 0; i < 25; i++) {
        await n.enqueue('a', message(`old-${i}`), t0);
        await n.markSent(i + 1, t0 + i);
      }
      await n.enqueue('a', message('recent'), t0);
      await n.markSent(26, now - SENT_RETENTION_MS + 1);
      await n.enqueue('a', message('given-up'), t0);
      await n.markUndelivered(27, t0, 'answered 400');
      await n.enqueue('a', message('waiting'), t0);
      expect(await pruneSentOnce(n, now, { batch: 10 })).toBe(25);
      expect((await n.list({ limit: 100 })).map((row) => row.idempotencyKey)).toEqual([
        'waiting',
        'given-up',
        'recent',
      ]);
    });
  });
}
