import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../common/logger.js';
import {
  RETRY_AFTER_CAP_MS,
  RETRY_BASE_MS,
  RETRY_CAP_MS,
  retryDelayMs,
} from '../../../server/alerts/outbox/backoff.js';
import { OutboxPruning, SENT_RETENTION_MS } from '../../../server/alerts/outbox/pruning.js';
import { safeReason } from '../../../server/alerts/outbox/reason.js';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { ManualTimers } from '../../helpers/manual-timers.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { message } from './messages.js';

const tmp = useTmpDir();

describe('retry delays', () => {
  it('double from 5 s to a 5-minute cap, with up to half of each random', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7, 12, 60].map((n) => retryDelayMs(n, high))).toEqual([
      5_000,
      10_000,
      20_000,
      40_000,
      80_000,
      160_000,
      RETRY_CAP_MS,
      RETRY_CAP_MS,
      RETRY_CAP_MS,
    ]);
    expect(retryDelayMs(1, low)).toBe(RETRY_BASE_MS / 2);
    expect(retryDelayMs(9, low)).toBe(RETRY_CAP_MS / 2);
  });

  it('wait at least as long as a receiver asks, up to an hour', () => {
    expect(retryDelayMs(1, () => 0.5, 120_000)).toBe(120_000);
    expect(retryDelayMs(8, () => 0.999_999, 1_000)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(1, () => 0, 7 * 86_400_000)).toBe(RETRY_AFTER_CAP_MS);
    expect(retryDelayMs(1, () => 0, -5)).toBe(RETRY_BASE_MS / 2);
  });
});

describe('failure reasons as kept', () => {
  it("keep an address's scheme and host only, never its path, query or credentials", () => {
    expect(
      safeReason(
        'POST https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers?sig=SECRET answered 400',
      ),
    ).toBe('POST https://prod-12.westeurope.logic.azure.com:443/… answered 400');
    expect(safeReason('https://hooks.slack.com/services/T0/B0/XYZ: connect ECONNREFUSED')).toBe(
      'https://hooks.slack.com/…: connect ECONNREFUSED',
    );
    expect(safeReason('smtp://relay:hunter2@smtp.example.org:587 refused AUTH')).toBe(
      'smtp://smtp.example.org:587/… refused AUTH',
    );
    expect(safeReason('x'.repeat(2_000))).toHaveLength(500);
  });
});

describe('pruning sent notifications', () => {
  it('runs a minute after the start and every hour, deleting only what was sent over 30 days ago', async () => {
    const start = Date.UTC(2026, 10, 24, 9, 0);
    const stores = SqliteStores.open(join(tmp(), 'prune.db'));
    const timers = new ManualTimers(start);
    const logged: string[] = [];
    const logger: Logger = { info: (m) => logged.push(m), warn() {}, error: (m) => logged.push(m) };
    const n = stores.notifications;
    await n.enqueue('a', message('old'), start - SENT_RETENTION_MS - 10_000);
    await n.markSent(1, start - SENT_RETENTION_MS - 5_000);
    await n.enqueue('a', message('later'), start - SENT_RETENTION_MS + 1_800_000);
    await n.markSent(2, start - SENT_RETENTION_MS + 1_800_000);
    await n.enqueue('a', message('waiting'), start - SENT_RETENTION_MS - 10_000);
    const pruning = new OutboxPruning({ store: n, timers, logger });
    pruning.apply();
    pruning.start();
    const keys = async () => (await n.list({ limit: 10 })).map((row) => row.idempotencyKey);
    await timers.advance(59_000);
    expect(await keys()).toEqual(['waiting', 'later', 'old']);
    await timers.advance(1_000);
    expect(await keys()).toEqual(['waiting', 'later']);
    await timers.advance(60 * 60_000);
    expect(await keys()).toEqual(['waiting']);
    expect(logged).toEqual(['pruned sent notifications', 'pruned sent notifications']);
    await pruning.stop();
    await stores.close();
  });
});
