import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostableAlert } from '../../server/alerts/channels/alertmanager.js';
import { estateSender } from '../../server/alerts/delivery/estate-sender.js';
import type { AlertMessage } from '../../server/alerts/message.js';
import { NotificationDispatcher } from '../../server/alerts/outbox/dispatcher.js';
import { OutboxMetrics } from '../../server/alerts/outbox/metrics.js';
import { NotificationOutbox } from '../../server/alerts/outbox/outbox.js';
import { AlertsSubsystem } from '../../server/alerts/subsystem.js';
import { publishingResults, StoredResults } from '../../server/results/stream.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom } from '../helpers/estates.js';
import { startReceiver } from '../helpers/json-receiver.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { useTmpDir } from '../helpers/tmp.js';
import { engineOn, MINUTE, minutes, quietLogger, T0 } from './fixture.js';

const tmp = useTmpDir();
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const SYSTEMS = Array.from({ length: 20 }, (_, i) => `sys-${String(i + 1).padStart(2, '0')}`);
const SITES = ['st-annes', 'north-wing'];

/** Twenty systems of one owner, each checked from two sites; the owner's only channel is Alertmanager. */
const estateYaml = (url: string) => `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: north-wing, name: North Wing, host: riverside }
systems:
${SYSTEMS.map((s) => `  - { id: ${s}, name: System ${s}, owner: riverside }`).join('\n')}
checks:
${SYSTEMS.map((s) => `  - { id: ${s}-web, system: ${s}, type: http, target: https://${s}.example.org/, every: 1m, from: [st-annes, north-wing] }`).join('\n')}
channels:
  - { id: riverside-am, organisation: riverside, type: alertmanager, url: ${url} }
`;

describe('Alertmanager down for half an hour with twenty incidents open', () => {
  it('keeps one refresh per incident waiting, then delivers the opened in order, the resolved next and one refresh per open incident', async () => {
    let down = true;
    const receiver = await startReceiver(() => ({ status: down ? 503 : 200 }));
    const store = SqliteStores.open(join(tmp(), 'outage.db'));
    const estate = estateFrom(estateYaml(receiver.url));
    await store.estate.syncEstate(estate, T0);
    const timers = new ManualTimers(T0);
    const registry = new Registry();
    const metrics = new OutboxMetrics({ registry, store: store.notifications, now: () => timers.now() });
    const sent: AlertMessage[] = [];
    const dispatcher = new NotificationDispatcher({
      store: store.notifications,
      send: estateSender({ estate: () => estate, env: () => ({}), clock: timers, version: 'test' }),
      timers,
      logger: quietLogger,
      metrics,
      onSettled: (settled) => {
        if (settled.state === 'sent') sent.push(settled.message);
      },
    });
    const stream = new StoredResults(quietLogger);
    const results = publishingResults(store.results, stream);
    const outbox = new NotificationOutbox({
      store: store.notifications,
      clock: timers,
      onQueued: () => dispatcher.wake(),
      onSuperseded: (channel, count) => metrics.count(channel, 'superseded', count),
    });
    const engine = engineOn(store, outbox, timers);
    const alerts = new AlertsSubsystem({ engine, stream, timers });
    cleanup = async () => {
      await alerts.stop();
      await dispatcher.stop();
      await receiver.close();
      await store.close();
    };
    dispatcher.apply(estate);
    await alerts.apply(estate);
    await alerts.start();
    dispatcher.start();

    const checks = SYSTEMS.map((s) => `${s}-web`);
    await results.recordRuns(minutes(checks, SITES, 0, 3, false));
    await engine.idle();
    const incidents = (await store.incidents.list({ state: 'open', limit: 100 })).sort(
      (a, b) => a.openedAt - b.openedAt || Number(a.id) - Number(b.id),
    );
    expect(incidents).toHaveLength(20);

    // Twenty minutes down; then one system recovers, and its incident resolves while the channel is down.
    await timers.advance(20 * MINUTE);
    const recovering = 'sys-05';
    await results.recordRuns(minutes([`${recovering}-web`], SITES, 20, 23, true));
    await engine.idle();
    const resolved = (await store.incidents.list({ state: 'all', limit: 100 })).find(
      (i) => i.resolvedAt !== null,
    );
    expect(resolved?.title).toContain(`System ${recovering}`);
    await timers.advance(10 * MINUTE);
    expect(receiver.accepted()).toEqual([]);
    expect(receiver.received.length).toBeGreaterThan(3);

    // What waits: every opened, at most one refresh per incident, none for the resolved one, then its resolved.
    const waiting = (await store.notifications.list({ state: 'pending', limit: 10_000 })).sort(
      (a, b) => a.id - b.id,
    );
    const kinds = (messages: readonly AlertMessage[]) =>
      messages.map((m) => `${m.refresh ? 'refresh' : m.event} ${m.alert.id}`);
    const opened = incidents.map((i) => `opened ${i.id}`);
    const open = incidents.filter((i) => i.id !== resolved?.id);
    expect(kinds(waiting.map((r) => r.message)).slice(0, 20)).toEqual(opened);
    expect(
      kinds(waiting.map((r) => r.message))
        .slice(20)
        .sort(),
    ).toEqual([...open.map((i) => `refresh ${i.id}`), `resolved ${resolved?.id}`].sort());
    const superseded = await store.notifications.list({ state: 'superseded', limit: 10_000 });
    // About one a minute per incident for half an hour, less the one each that still waits.
    expect(superseded.length).toBeGreaterThan(20 * 25);
    expect(await registry.getSingleMetricAsString('vantage_notifications_total')).toContain(
      `vantage_notifications_total{channel="riverside-am",result="superseded"} ${superseded.length}`,
    );
    expect(await store.notifications.undeliveredCounts()).toEqual(new Map());

    // Back: time moves only to the head's next try, then stands still while the backlog drains, so no
    // new refresh falls due meanwhile.
    down = false;
    const before = receiver.received.length;
    const head = await store.notifications.head('riverside-am');
    if (!head) throw new Error('nothing waits');
    await timers.advance(Math.max(0, head.nextAttemptAt - timers.now()));
    const backAt = timers.now();
    const backlog = (await store.notifications.list({ state: 'pending', limit: 10_000 })).map((r) => r.id);
    const drained = async () =>
      (await store.notifications.list({ state: 'pending', limit: 10_000 })).every(
        (r) => r.id > Math.max(...backlog),
      );
    for (let i = 0; i < 500 && !(await drained()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await drained()).toBe(true);
    expect(timers.now()).toBe(backAt);

    expect(kinds(sent).slice(0, 20)).toEqual(opened);
    const after = kinds(sent).slice(20);
    // The refreshes waiting when it resolved were all superseded by newer ones: none is ahead of it.
    expect(after[0]).toBe(`resolved ${resolved?.id}`);
    for (const incident of open) expect(after.filter((k) => k === `refresh ${incident.id}`)).toHaveLength(1);
    expect(after.filter((k) => k.endsWith(` ${resolved?.id}`))).toEqual([`resolved ${resolved?.id}`]);
    expect(after).toHaveLength(open.length + 1);

    // What Alertmanager got: each refresh fires until three minutes after it was sent, not after it was
    // made; the resolved ends when the incident did.
    const bodies = receiver.received
      .slice(before)
      .filter((r) => r.status === 200)
      .map((r) => (r.body as unknown as PostableAlert[])[0] as PostableAlert);
    expect(bodies).toHaveLength(sent.length);
    sent.forEach((m, i) => {
      const endsAt = Date.parse(bodies[i]?.endsAt ?? '');
      expect(bodies[i]?.labels.incident).toBe(m.alert.id);
      if (m.event === 'resolved') expect(endsAt).toBe(resolved?.resolvedAt);
      else expect(endsAt).toBe(backAt + 3 * MINUTE);
    });
  }, 60_000);
});
