import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { apiTokenIn } from '../../helpers/as-admin.js';
import { startReceiver } from '../../helpers/json-receiver.js';
import { jsonPoster } from '../../helpers/json-sender.js';
import { serveLoopback } from '../../helpers/serve-loopback.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';
import { message } from './messages.js';

const tmp = useTmpDir();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the outbox in vantage serve', () => {
  it('sends what is queued in the database, and shows it in /metrics and the API', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(
      config,
      `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
channels:
  - { id: riverside-hook, organisation: riverside, type: webhook, url: "${receiver.url}/hook" }
`,
    );
    const server = await serveLoopback(config, db, {
      sendNotification: jsonPoster((channel) => `${receiver.url}/${channel}`),
    });
    cleanups.push(() => server.close());
    const headers = await apiTokenIn(db);
    const metrics = async () => (await fetch(new URL('/metrics', server.url), { headers })).text();
    expect(await metrics()).toContain(
      'vantage_notifications_total{channel="riverside-hook",result="sent"} 0',
    );

    // Queued by another connection to the file: the dispatcher finds it on its next look.
    const store = SqliteStores.open(db);
    await store.notifications.enqueue('riverside-hook', message('k1'), Date.now());
    await store.close();
    await until(
      async () => receiver.accepted(),
      (keys) => keys.length === 1,
      15_000,
    );
    expect(receiver.accepted()).toEqual(['k1']);
    const text = await until(metrics, (t) => t.includes('result="sent"} 1'), 5_000);
    expect(text).toContain('vantage_notifications_total{channel="riverside-hook",result="sent"} 1');
    expect(text).toContain('vantage_notification_outbox_depth{channel="riverside-hook"} 0');
    const listed = await fetch(new URL('/api/v1/notifications', server.url), { headers });
    const body = (await listed.json()) as {
      items: { state: string }[];
      channels: { lastDelivery: { ok: boolean } }[];
    };
    expect(body.items.map((item) => item.state)).toEqual(['sent']);
    expect(body.channels[0]?.lastDelivery.ok).toBe(true);

    // Handed to the server's own notifier: stored, then sent at once rather than at the next look.
    await server.notifier.notify('riverside-hook', message('k2', 'inc-2', 'resolved'));
    await until(
      async () => receiver.accepted(),
      (keys) => keys.length === 2,
      3_000,
    );
    expect(receiver.accepted()).toEqual(['k1', 'k2']);
  }, 30_000);
});
