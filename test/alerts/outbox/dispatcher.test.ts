import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../common/logger.js';
import { NotificationDispatcher, type Send, type Settled } from '../../../server/alerts/outbox/dispatcher.js';
import { OutboxMetrics } from '../../../server/alerts/outbox/metrics.js';
import { NotificationOutbox } from '../../../server/alerts/outbox/outbox.js';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { type Answer, type Receiver, startReceiver } from '../../helpers/json-receiver.js';
import { jsonPoster } from '../../helpers/json-sender.js';
import { ManualTimers } from '../../helpers/manual-timers.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';
import { drive } from './drive.js';
import { message } from './messages.js';

const T0 = Date.UTC(2026, 10, 24, 9, 42);
const tmp = useTmpDir();
const quiet: Logger = { info() {}, warn() {}, error() {} };

interface Setup {
  stores: SqliteStores;
  file: string;
  timers: ManualTimers;
  receiver: Receiver;
  outbox: NotificationOutbox;
  dispatcher: NotificationDispatcher;
  registry: Registry;
}

let open: Setup | undefined;
afterEach(async () => {
  await open?.dispatcher.stop();
  await open?.receiver.close();
  await open?.stores.close();
  open = undefined;
});

async function setUp(
  answer: (key: string, index: number) => Answer,
  options: {
    giveUpAfterMs?: number;
    send?: (receiver: Receiver) => Send;
    onSettled?: (s: Settled) => void;
  } = {},
): Promise<Setup> {
  const file = join(tmp(), 'outbox.db');
  const stores = SqliteStores.open(file);
  const timers = new ManualTimers(T0);
  const receiver = await startReceiver((request, index) => answer(request.key, index));
  const registry = new Registry();
  const metrics = new OutboxMetrics({ registry, store: stores.notifications, now: () => timers.now() });
  const dispatcher = new NotificationDispatcher({
    store: stores.notifications,
    send: options.send?.(receiver) ?? jsonPoster((channel) => `${receiver.url}/${channel}`),
    timers,
    logger: quiet,
    metrics,
    // The full delay each time, so the waits are known.
    random: () => 0.999_999,
    ...(options.giveUpAfterMs ? { giveUpAfterMs: options.giveUpAfterMs } : {}),
    ...(options.onSettled ? { onSettled: options.onSettled } : {}),
  });
  dispatcher.apply({ channels: [{ id: 'a' }, { id: 'b' }] } as never);
  const outbox = new NotificationOutbox({
    store: stores.notifications,
    clock: timers,
    onQueued: () => dispatcher.wake(),
  });
  open = { stores, file, timers, receiver, outbox, dispatcher, registry };
  return open;
}

const ok: Answer = { status: 200 };

describe('the notification outbox', () => {
  it('stores a message before notify resolves, sends nothing itself, and keeps one message per key', async () => {
    const { outbox, file, receiver, stores } = await setUp(() => ok);
    await outbox.notify('a', message('k1'));
    // Another connection to the file sees it: it is committed, not held in this process.
    const other = new Database(file, { readonly: true });
    const rows = () => other.prepare('SELECT channel, idempotency_key, state FROM notifications').all();
    expect(rows()).toEqual([{ channel: 'a', idempotency_key: 'k1', state: 'pending' }]);
    await outbox.notify('a', message('k1', 'inc-other'));
    await outbox.notify('b', message('k1'));
    expect(rows()).toHaveLength(2);
    expect((await stores.notifications.head('a'))?.message.alert.id).toBe('inc-1');
    other.close();
    // Not started: nothing was sent.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toEqual([]);
  });

  it('delivers a channel in order after its receiver answers 503 for a while, while another channel goes on', async () => {
    let triesOfA = 0;
    const s = await setUp((key) => (key.startsWith('a') && triesOfA++ < 4 ? { status: 503 } : ok));
    for (let i = 1; i <= 5; i++) await s.outbox.notify('a', message(`a${i}`));
    for (let i = 1; i <= 3; i++) await s.outbox.notify('b', message(`b${i}`));
    s.dispatcher.start();
    expect(await drive(s.timers, () => s.receiver.accepted().length === 8)).toBe(true);
    const accepted = s.receiver.accepted();
    expect(accepted.filter((key) => key.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(accepted.filter((key) => key.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
    // The head blocked its channel: nothing after a1 was tried before a1 was accepted.
    const tried = s.receiver.received.filter((r) => r.path === '/a').map((r) => r.key);
    expect(tried.slice(0, 5)).toEqual(['a1', 'a1', 'a1', 'a1', 'a1']);
    // Channel b did not wait for a: all of b was accepted before a1 was.
    expect(accepted.indexOf('b3')).toBeLessThan(accepted.indexOf('a1'));
    const a1 = (await s.stores.notifications.list({ channels: ['a'], limit: 10 })).find(
      (row) => row.idempotencyKey === 'a1',
    );
    expect(a1).toMatchObject({ state: 'sent', attempts: 5, lastError: expect.stringContaining('503') });
    // Four failures waited 5 s, 10 s, 20 s and 40 s: sent no sooner than 75 s after the start.
    expect((a1?.sentAt ?? 0) - T0).toBeGreaterThanOrEqual(75_000);
    const text = await s.registry.metrics();
    expect(text).toContain('vantage_notifications_total{channel="a",result="sent"} 5');
    expect(text).toContain('vantage_notifications_total{channel="a",result="retry"} 4');
    expect(text).toContain('vantage_notifications_total{channel="b",result="sent"} 3');
    expect(text).toContain('vantage_notification_outbox_depth{channel="a"} 0');
  });

  it('honours a receiver asking to be tried again later', async () => {
    const s = await setUp((_key, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '120' } } : ok,
    );
    await s.outbox.notify('a', message('k1'));
    s.dispatcher.start();
    expect(await drive(s.timers, () => s.receiver.received.length === 1, { stepMs: 0, maxSteps: 400 })).toBe(
      true,
    );
    await drive(s.timers, async () => (await s.stores.notifications.head('a'))?.attempts === 1, {
      stepMs: 0,
      maxSteps: 400,
    });
    const head = await s.stores.notifications.head('a');
    expect((head?.nextAttemptAt ?? 0) - (head?.lastAttemptAt ?? 0)).toBe(120_000);
    await s.timers.advance(119_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.receiver.received).toHaveLength(1);
    expect(await drive(s.timers, () => s.receiver.accepted().length === 1)).toBe(true);
  });

  it('gives up a message the receiver refuses for good at once, keeping why, and goes on to the next', async () => {
    // The reason names the address with its key in the path: that part is never kept.
    const settled: Settled[] = [];
    const s = await setUp((key) => (key === 'k1' ? { status: 400 } : ok), {
      send: (receiver) => jsonPoster(() => `${receiver.url}/hooks/secret-key-123?token=abc`),
      onSettled: (one) => settled.push(one),
    });
    await s.outbox.notify('a', message('k1'));
    await s.outbox.notify('a', message('k2'));
    s.dispatcher.start();
    expect(
      await drive(s.timers, () => s.receiver.accepted().length === 1, { stepMs: 0, maxSteps: 400 }),
    ).toBe(true);
    expect(s.receiver.received.map((r) => r.key)).toEqual(['k1', 'k2']);
    const [k2, k1] = await s.stores.notifications.list({ limit: 10 });
    expect(k1).toMatchObject({ state: 'undelivered', attempts: 1 });
    expect(k1?.lastError).toContain('answered 400');
    expect(k1?.lastError).not.toContain('secret-key-123');
    expect(k1?.lastError).not.toContain('abc');
    expect(k2).toMatchObject({ state: 'sent' });
    // Whoever keeps the incident's timeline is told where each ended, and why.
    await until(
      async () => settled.length,
      (n) => n === 2,
    );
    expect(settled.map((one) => [one.message.idempotencyKey, one.state, one.attempts])).toEqual([
      ['k1', 'undelivered', 1],
      ['k2', 'sent', 1],
    ]);
    expect(settled[0]?.reason).toBe(k1?.lastError);
    expect(await s.registry.metrics()).toContain(
      'vantage_notifications_total{channel="a",result="undelivered"} 1',
    );
  });

  it('gives up a message still failing after the configured time, then delivers the next', async () => {
    let down = true;
    const s = await setUp(() => (down ? { status: 503 } : ok), { giveUpAfterMs: 10 * 60_000 });
    await s.outbox.notify('a', message('k1'));
    // Queued later: its own ten minutes have not passed when k1 is given up.
    await s.stores.notifications.enqueue('a', message('k2'), T0 + 5 * 60_000);
    s.dispatcher.start();
    const k1 = async () => s.stores.notifications.notification(1);
    expect(await drive(s.timers, async () => (await k1())?.state === 'undelivered')).toBe(true);
    const given = await k1();
    // The last try is at the deadline, not a backoff past it.
    expect((given?.lastAttemptAt ?? 0) - T0).toBeGreaterThanOrEqual(10 * 60_000);
    expect((given?.lastAttemptAt ?? 0) - T0).toBeLessThan(10 * 60_000 + 5_000);
    expect(given?.lastError).toMatch(/^still failing after 10m: .*answered 503/);
    // Tries: 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, then 5 min capped by the deadline.
    expect(given?.attempts).toBe(8);
    const text = await s.registry.metrics();
    expect(text).toContain('vantage_notification_outbox_depth{channel="a"} 1');
    // k2 waits, queued five minutes after the start.
    const oldest = /vantage_notification_outbox_oldest_seconds\{channel="a"\} ([\d.]+)/.exec(text)?.[1];
    expect(Number(oldest)).toBeGreaterThanOrEqual(300);
    expect(Number(oldest)).toBeLessThan(310);
    down = false;
    expect(await drive(s.timers, () => s.receiver.accepted().length === 1)).toBe(true);
    expect(s.receiver.accepted()).toEqual(['k2']);
  });

  it('refuses a message without a channel or a key, storing nothing', async () => {
    const { outbox, stores } = await setUp(() => ok);
    await expect(outbox.notify('', message('k1'))).rejects.toThrow('the id of the channel');
    await expect(outbox.notify('a', message(''))).rejects.toThrow("channel 'a' needs an idempotency key");
    expect(await stores.notifications.list({ limit: 10 })).toEqual([]);
  });

  it('stops without waiting for ever on a receiver that holds the request open, leaving the message pending', async () => {
    const s = await setUp(() => 'hold');
    await s.outbox.notify('a', message('k1'));
    s.dispatcher.start();
    expect(await drive(s.timers, () => s.receiver.received.length === 1, { stepMs: 0, maxSteps: 400 })).toBe(
      true,
    );
    let stopped = false;
    const stopping = s.dispatcher.stop().then(() => {
      stopped = true;
    });
    await s.timers.advance(9_000);
    expect(stopped).toBe(false);
    await s.timers.advance(1_000);
    await stopping;
    expect(stopped).toBe(true);
    expect(await s.stores.notifications.head('a')).toMatchObject({
      idempotencyKey: 'k1',
      state: 'pending',
      attempts: 0,
    });
    // The request still held open is cut off, so its send ends before the next test.
    await s.receiver.close();
  });

  it('counts a sender that throws as a failure to try again', async () => {
    let calls = 0;
    const s = await setUp(() => ok, {
      send: (receiver) => {
        const post = jsonPoster((channel) => `${receiver.url}/${channel}`);
        return async (channel, sent) => {
          calls++;
          if (calls === 1) throw new Error('socket hang up');
          return post(channel, sent);
        };
      },
    });
    await s.outbox.notify('a', message('k1'));
    s.dispatcher.start();
    expect(await drive(s.timers, () => s.receiver.accepted().length === 1)).toBe(true);
    expect(calls).toBe(2);
  });
});
