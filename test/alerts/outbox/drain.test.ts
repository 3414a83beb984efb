import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../common/logger.js';
import { NotificationDispatcher } from '../../../server/alerts/outbox/dispatcher.js';
import { NotificationOutbox } from '../../../server/alerts/outbox/outbox.js';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { type Receiver, startReceiver } from '../../helpers/json-receiver.js';
import { jsonPoster } from '../../helpers/json-sender.js';
import { ManualTimers } from '../../helpers/manual-timers.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { drive } from './drive.js';
import { message } from './messages.js';

const tmp = useTmpDir();
const quiet: Logger = { info() {}, warn() {}, error() {} };
const CHANNELS = ['riverside-it', 'eastfield-it', 'gp-federation', 'county-care'];

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('a thousand messages queued while the receiver is down', () => {
  it('are all delivered once it returns, in order per channel, none twice, two channels at a time', async () => {
    const stores = SqliteStores.open(join(tmp(), 'drain.db'));
    const timers = new ManualTimers(Date.UTC(2026, 10, 24, 9, 42));
    let down = true;
    const receiver: Receiver = await startReceiver(() => (down ? { status: 503 } : { status: 200 }));
    const dispatcher = new NotificationDispatcher({
      store: stores.notifications,
      send: jsonPoster((channel) => `${receiver.url}/${channel}`),
      timers,
      logger: quiet,
      maxInFlight: 2,
    });
    cleanup = async () => {
      await dispatcher.stop();
      await receiver.close();
      await stores.close();
    };
    const outbox = new NotificationOutbox({
      store: stores.notifications,
      clock: timers,
      onQueued: () => dispatcher.wake(),
    });
    dispatcher.start();
    for (let i = 0; i < 1_000; i++) {
      const channel = CHANNELS[i % CHANNELS.length] as string;
      await outbox.notify(channel, message(`${channel}-${i}`, `inc-${i}`));
      // The same event noticed twice (a rule evaluated again): one message.
      if (i % 10 === 0) await outbox.notify(channel, message(`${channel}-${i}`, `inc-${i}`));
    }
    // Every channel's head has failed at least once while down; no later message was tried.
    expect(
      await drive(timers, () => new Set(receiver.received.map((r) => r.path)).size === CHANNELS.length, {
        maxSteps: 200,
      }),
    ).toBe(true);
    expect(new Set(receiver.received.map((r) => r.key)).size).toBe(CHANNELS.length);
    down = false;
    // Bounded: stops by itself when every message is accepted, or after the steps run out.
    const drained = async () =>
      receiver.accepted().length >= 1_000 && (await stores.notifications.pendingSummary()).length === 0;
    expect(await drive(timers, drained, { maxSteps: 3_000 })).toBe(true);

    const accepted = receiver.accepted();
    const perKey = new Map<string, number>();
    for (const key of accepted) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    expect(perKey.size).toBe(1_000);
    expect(Math.max(...perKey.values())).toBe(1);
    for (const channel of CHANNELS) {
      const order = accepted
        .filter((key) => key.startsWith(`${channel}-`))
        .map((key) => Number(key.split('-').pop()));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(receiver.maxInFlight()).toBeLessThanOrEqual(2);
    expect(await stores.notifications.pendingSummary()).toEqual([]);
    expect((await stores.notifications.list({ state: 'sent', limit: 2_000 })).length).toBe(1_000);
  }, 60_000);
});
