import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../common/logger.js';
import { ACK_LINK_MS, ackToken, checkAckToken } from '../../server/alerts/ack-link.js';
import { signingAckLinks } from '../../server/alerts/delivery/ack-at-send.js';
import type { AlertMessage, Delivery } from '../../server/alerts/message.js';
import { NotificationDispatcher } from '../../server/alerts/outbox/dispatcher.js';
import { NotificationOutbox } from '../../server/alerts/outbox/outbox.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { useTmpDir } from '../helpers/tmp.js';
import { ackKey } from './fixture.js';
import { drive } from './outbox/drive.js';
import { message } from './outbox/messages.js';

const tmp = useTmpDir();
const quiet: Logger = { info() {}, warn() {}, error() {} };
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 24, 9, 42);

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A message as the rules queue it: its link signed when it was queued, at T0. */
function queuedAt(at: number, key: string, withLink = true): AlertMessage {
  const made = message(key, '42');
  if (withLink)
    made.alert.ackUrl = `https://vantage.example.org/alerts/42/ack?token=${ackToken(ackKey, '42', at + ACK_LINK_MS)}`;
  return made;
}

const tokenOf = (m: AlertMessage | undefined) =>
  new URL(m?.alert.ackUrl as string).searchParams.get('token') as string;

describe('acknowledgement links are signed when a message is sent', () => {
  it('a message retried for 80 hours arrives with a link valid for 72 hours from its delivery', async () => {
    const stores = SqliteStores.open(join(tmp(), 'ack.db'));
    const timers = new ManualTimers(T0);
    let up = false;
    const delivered: { at: number; message: AlertMessage }[] = [];
    // The receiver is down (asking to come back in an hour) until it is up again.
    const receiver = async (_channel: string, sent: AlertMessage): Promise<Delivery> => {
      if (!up) return { ok: false, retryable: true, reason: 'HTTP 503', retryAfterMs: HOUR };
      delivered.push({ at: timers.now(), message: sent });
      return { ok: true };
    };
    const dispatcher = new NotificationDispatcher({
      store: stores.notifications,
      send: signingAckLinks(receiver, ackKey, timers),
      timers,
      logger: quiet,
      giveUpAfterMs: 7 * 24 * HOUR,
      random: () => 0,
    });
    const outbox = new NotificationOutbox({
      store: stores.notifications,
      clock: timers,
      onQueued: () => dispatcher.wake(),
    });
    cleanup = async () => {
      await dispatcher.stop();
      await stores.close();
    };
    dispatcher.start();
    const queued = queuedAt(T0, 'k-opened');
    await outbox.notify('riverside-it', queued);
    await outbox.notify('riverside-it', queuedAt(T0, 'k-resolved', false));
    await timers.advance(80 * HOUR);
    expect(delivered).toEqual([]);
    up = true;
    expect(await drive(timers, () => delivered.length === 2, { stepMs: 60_000, maxSteps: 200 })).toBe(true);

    const [opened, resolved] = delivered;
    const at = opened?.at as number;
    expect(at).toBeGreaterThanOrEqual(T0 + 80 * HOUR);
    // The link signed when queued had expired by then; the one sent works for 72 hours from delivery.
    expect(checkAckToken(ackKey, '42', tokenOf({ alert: queued.alert } as AlertMessage), at)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(checkAckToken(ackKey, '42', tokenOf(opened?.message), at + ACK_LINK_MS - 1)).toEqual({ ok: true });
    expect(checkAckToken(ackKey, '42', tokenOf(opened?.message), at + ACK_LINK_MS)).toEqual({
      ok: false,
      reason: 'expired',
    });
    // Nothing else changed: same key, same incident, same address but for the token.
    expect(opened?.message.idempotencyKey).toBe('k-opened');
    expect(opened?.message.alert.ackUrl).toMatch(/^https:\/\/vantage\.example\.org\/alerts\/42\/ack\?token=/);
    // A message without a link (resolved, handed over) is sent without one.
    expect(resolved?.message.alert.ackUrl).toBeUndefined();
    // The outbox keeps the message as queued: the link sent is made at each attempt, not stored.
    const rows = await stores.notifications.list({ limit: 10 });
    expect(rows.map((row) => row.state)).toEqual(['sent', 'sent']);
    const stored = rows.find((row) => row.idempotencyKey === 'k-opened');
    expect(stored?.message.alert.ackUrl).toBe(queued.alert.ackUrl);
  });
});
