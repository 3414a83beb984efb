import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { silentLogger } from '../../common/logger.js';
import { realTimers } from '../../common/timers.js';
import { NotificationDispatcher } from '../../server/alerts/outbox/dispatcher.js';
import { NotificationOutbox } from '../../server/alerts/outbox/outbox.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { message } from '../alerts/outbox/messages.js';
import { startReceiver } from '../helpers/json-receiver.js';
import { jsonPoster } from '../helpers/json-sender.js';

const MESSAGES = 1_000;
const CHANNELS = 10;
/** The 5-minute outage, scaled down to 5 s so the run stays short; the backoff is the real one. */
const OUTAGE_MS = 5_000;
/** The run gives up, and fails, if the outbox has not drained by then. */
const LIMIT_MS = 120_000;

/**
 * 1,000 notifications for 10 channels queued at once while their receiver answers 503, the receiver
 * back after a (scaled) outage: how long the outbox takes to drain once it is back, how many times the
 * receiver accepted each key (1 at most, after de-duplication), and the event loop's delay meanwhile.
 */
export async function benchNotifications(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-notifications-'));
  const stores = SqliteStores.open(join(dir, 'outbox.db'));
  let down = true;
  const receiver = await startReceiver(() => (down ? { status: 503 } : { status: 200 }));
  const dispatcher = new NotificationDispatcher({
    store: stores.notifications,
    send: jsonPoster((channel) => `${receiver.url}/${channel}`),
    timers: realTimers,
    logger: silentLogger,
  });
  const outbox = new NotificationOutbox({
    store: stores.notifications,
    clock: realTimers,
    onQueued: () => dispatcher.wake(),
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  try {
    dispatcher.start();
    delay.enable();
    const queuing = performance.now();
    for (let i = 0; i < MESSAGES; i++)
      await outbox.notify(`channel-${i % CHANNELS}`, message(`key-${i}`, `incident-${i}`));
    const queuedMs = performance.now() - queuing;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    down = false;
    const back = performance.now();
    let firstMs: number | undefined;
    while (receiver.accepted().length < MESSAGES) {
      if (firstMs === undefined && receiver.accepted().length > 0) firstMs = performance.now() - back;
      if (performance.now() - back > LIMIT_MS)
        throw new Error(
          `only ${receiver.accepted().length} of ${MESSAGES} delivered ${LIMIT_MS / 1000} s after the receiver returned`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const drainMs = performance.now() - back;
    delay.disable();
    const perKey = new Map<string, number>();
    for (const key of receiver.accepted()) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    const failedTries = receiver.received.length - receiver.accepted().length;
    console.log(
      `${MESSAGES} messages for ${CHANNELS} channels, receiver down ${OUTAGE_MS / 1000} s (the 5-minute outage, scaled)`,
    );
    console.log(
      `queued (each stored before notify resolved)  ${Math.round(queuedMs)} ms (${Math.round((MESSAGES / queuedMs) * 1000)} a second)`,
    );
    console.log(
      `first delivered after the receiver was back  ${((firstMs ?? drainMs) / 1000).toFixed(1)} s (each channel's head waits out its backoff)`,
    );
    console.log(
      `time to drain once the receiver was back    ${(drainMs / 1000).toFixed(1)} s (the next retry is 5 s to 10 s after a failure)`,
    );
    console.log(
      `tries refused while down                    ${failedTries} (only each channel's head is tried)`,
    );
    console.log(
      `deliveries per key at the receiver          max ${Math.max(...perKey.values())}, keys ${perKey.size}`,
    );
    console.log(
      `event-loop delay during the run             p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
    );
    if (perKey.size !== MESSAGES || Math.max(...perKey.values()) !== 1)
      throw new Error('a message was lost or delivered twice');
  } finally {
    delay.disable();
    await dispatcher.stop();
    await receiver.close();
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
