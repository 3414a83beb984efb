import { afterEach, describe, expect, it } from 'vitest';
import { alertmanagerAlert, resendEveryMs } from '../../server/alerts/channels/alertmanager.js';
import { useTmpDir } from '../helpers/tmp.js';
import { MINUTE, T0 } from './fixture.js';
import { estateWith, events, type Running, runAlerts } from './follow-ups-fixture.js';

const tmp = useTmpDir();
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const yaml = estateWith(
  '  - { id: riverside-am, organisation: riverside, type: alertmanager, url: http://127.0.0.1:9093 }\n',
  '  routes: [{ channel: riverside-it, rules: [agentSilent] }]\n',
);

describe('Alertmanager', () => {
  it('gets a firing alert again every resendEveryMs while open, each its own key, and the resolved with endsAt', async () => {
    running = await runAlerts(tmp(), yaml);
    const r = running;
    await r.epr(false);
    await r.timers.advance(3 * resendEveryMs + 20_000);
    const id = (await r.incident()).id;
    const firing = await r.outbox('riverside-am');
    expect(firing.map((m) => [m.event, m.idempotencyKey, m.refresh])).toEqual([
      ['opened', `${id}:opened:riverside-am`, undefined],
      ['reminder', `${id}:reminder:riverside-am:refresh1`, true],
      ['reminder', `${id}:reminder:riverside-am:refresh2`, true],
      ['reminder', `${id}:reminder:riverside-am:refresh3`, true],
    ]);
    // Each keeps the alert firing past the next one.
    const last = firing[3];
    if (!last) throw new Error('no refresh');
    expect(Date.parse(alertmanagerAlert(last, r.timers.now()).endsAt)).toBeGreaterThan(
      r.timers.now() + resendEveryMs,
    );
    // Refreshes are not news to a person: the timeline says only that the opened went out.
    expect((await r.timeline('notified')).map((e) => e.detail.event)).toEqual(['opened']);
    // Acknowledged, it still fires: Alertmanager keeps it until it is resolved.
    await r.acknowledge();
    await r.timers.advance(resendEveryMs);
    expect(events(await r.outbox('riverside-am')).slice(3)).toEqual(['reminder', 'acknowledged', 'reminder']);
    await r.epr(true);
    await r.timers.advance(5 * resendEveryMs);
    const all = await r.outbox('riverside-am');
    expect(events(all).slice(5)).toEqual(['reminder', 'resolved']);
    const resolved = all.at(-1);
    if (!resolved) throw new Error('no resolved');
    const resolvedAt = (await r.incident()).resolvedAt;
    expect(alertmanagerAlert(resolved, r.timers.now()).endsAt).toBe(new Date(resolvedAt ?? 0).toISOString());
    // Another channel of the organisation is not refreshed.
    expect(await r.outbox('riverside-it')).toEqual([]);
  });

  it('is refreshed once after a restart, not once per minute missed', async () => {
    const dir = tmp();
    running = await runAlerts(dir, yaml);
    await running.epr(false);
    await running.close();
    running = await runAlerts(dir, yaml, T0 + 30 * MINUTE);
    await running.timers.advance(20_000);
    const keys = (await running.outbox('riverside-am')).map((m) => m.idempotencyKey.split(':').pop());
    expect(keys).toEqual(['riverside-am', 'refresh30']);
  });
});
