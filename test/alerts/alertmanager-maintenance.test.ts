import { afterEach, describe, expect, it } from 'vitest';
import { resendEveryMs } from '../../server/alerts/channels/alertmanager.js';
import { useTmpDir } from '../helpers/tmp.js';
import { estateWith, events, type Running, runAlerts } from './follow-ups-fixture.js';

const tmp = useTmpDir();
let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Alertmanager for Riverside, and a maintenance window over its EPR from `start` (London time) to 11:00. */
const withWindow = (start: string) =>
  estateWith(
    '  - { id: riverside-am, organisation: riverside, type: alertmanager, url: http://127.0.0.1:9093 }\n',
    '  routes: [{ channel: riverside-it, rules: [agentSilent] }]\n',
  ).replace(
    'alerts:\n',
    `maintenance:\n  - { id: epr-upgrade, title: EPR upgrade, start: 2026-11-24T${start}, end: 2026-11-24T11:00, scope: { systems: [epr] } }\nalerts:\n`,
  );

describe('Alertmanager and maintenance', () => {
  it('is told nothing of an incident opened inside a window: no alert, no refresh, no end', async () => {
    running = await runAlerts(tmp(), withWindow('09:30'));
    await running.epr(false);
    expect((await running.incident()).inMaintenance).toBe(true);
    await running.timers.advance(10 * resendEveryMs);
    expect(await running.outbox('riverside-am')).toEqual([]);
    await running.epr(true);
    await running.timers.advance(2 * resendEveryMs);
    expect((await running.incident()).resolvedAt).not.toBeNull();
    expect(await running.outbox('riverside-am')).toEqual([]);
  });

  it('keeps an alert that was firing before a window began firing through it, until it is resolved', async () => {
    running = await runAlerts(tmp(), withWindow('09:50'));
    await running.epr(false);
    expect((await running.incident()).inMaintenance).toBe(false);
    // Into the window: the incident is still open, so Alertmanager still hears it fire, not expire.
    await running.timers.advance(20 * resendEveryMs);
    const firing = await running.outbox('riverside-am');
    expect(events(firing)[0]).toBe('opened');
    expect(firing.filter((m) => m.refresh).length).toBeGreaterThanOrEqual(18);
    await running.epr(true);
    await running.timers.advance(resendEveryMs);
    expect(events(await running.outbox('riverside-am')).at(-1)).toBe('resolved');
  });
});
