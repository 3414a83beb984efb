import { afterEach, expect, it } from 'vitest';
import { alertmanagerAlert, resendEveryMs } from '../../../server/alerts/channels/alertmanager.js';
import { sendTo } from '../../../server/alerts/channels/index.js';
import type { AlertMessage } from '../../../server/alerts/message.js';
import type { Channel } from '../../../server/config/schema.js';
import { channelContext, openedMessage } from '../../helpers/alert-message.js';
import {
  alertmanagerSuite,
  type RunningAlertmanager,
  startAlertmanager,
} from '../../helpers/alertmanager.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';

const tmp = useTmpDir();
let alertmanager: RunningAlertmanager | undefined;
afterEach(async () => {
  await alertmanager?.stop();
  alertmanager = undefined;
});

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
  status: { state: string };
}

const alertsOf = async (url: string) =>
  (await (await fetch(`${url}/api/v2/alerts`)).json()) as GettableAlert[];
const groupsOf = async (url: string) =>
  (await (await fetch(`${url}/api/v2/alerts/groups`)).json()) as {
    labels: Record<string, string>;
    alerts: GettableAlert[];
  }[];

/** Alertmanager compares with its own clock: these messages are about now. */
function now(): { iso: (agoMs: number) => string; context: ReturnType<typeof channelContext> } {
  return {
    iso: (agoMs) => new Date(Date.now() - agoMs).toISOString(),
    context: channelContext({ clock: { now: () => Date.now() } }),
  };
}

it('sets endsAt three resends ahead while firing, and to when it was resolved once resolved', () => {
  const firing = alertmanagerAlert(openedMessage(), Date.parse('2026-12-03T09:45:00Z'));
  expect(firing.endsAt).toBe(new Date(Date.parse('2026-12-03T09:45:00Z') + 3 * resendEveryMs).toISOString());
  const resolved = alertmanagerAlert(
    { ...openedMessage({ resolvedAt: '2026-12-03T10:15:00.000Z' }), event: 'resolved' },
    Date.parse('2026-12-03T10:15:01Z'),
  );
  expect(resolved.endsAt).toBe('2026-12-03T10:15:00.000Z');
});

alertmanagerSuite('a real Alertmanager', () => {
  it("shows Vantage's alert with its labels, grouped by its own routing, then sees it resolve", async () => {
    alertmanager = await startAlertmanager(tmp());
    const { url } = alertmanager;
    const channel: Channel = { id: 'am', organisation: 'icb', type: 'alertmanager', url: `${url}/` };
    const { iso, context } = now();
    const siteOnly = openedMessage({ startedAt: iso(120_000) });
    const owners: AlertMessage = {
      ...openedMessage({
        id: 'inc-43',
        title: 'EPR unreachable from most sites',
        responsible: {
          organisation: 'riverside',
          organisationName: 'Riverside Hospitals NHS Trust',
          role: 'owner',
        },
        system: { id: 'epr', name: 'Electronic patient record' },
        site: undefined,
        startedAt: iso(60_000),
      }),
      idempotencyKey: 'inc-43:opened:am',
    };
    expect(await sendTo(channel, siteOnly, context)).toEqual({
      ok: true,
      detail: 'Alertmanager answered 200',
    });
    expect(await sendTo(channel, owners, context)).toMatchObject({ ok: true });

    const active = await until(
      () => alertsOf(url),
      (alerts) => alerts.length === 2 && alerts.every((alert) => alert.status.state === 'active'),
    );
    const found = active.find((alert) => alert.labels.incident === 'inc-42');
    expect(found?.labels).toEqual({
      alertname: 'consecutive-failures',
      organisation: 'eastfield',
      severity: 'critical',
      incident: 'inc-42',
      site: 'marsh-lane',
    });
    expect(found?.annotations).toMatchObject({
      summary: 'Marsh Lane Centre: 5 systems unreachable since 09:42',
      url: 'https://vantage.example.org/alerts/inc-42',
    });
    expect(found?.generatorURL).toBe('https://vantage.example.org/alerts/inc-42');
    expect(found?.status.state).toBe('active');

    const groups = await until(
      () => groupsOf(url),
      (list) => list.length === 2,
    );
    expect(
      groups
        .map((group) => group.labels)
        .sort((a, b) => (a.organisation ?? '').localeCompare(b.organisation ?? '')),
    ).toEqual([{ organisation: 'eastfield' }, { organisation: 'riverside', system: 'epr' }]);

    const resolved: AlertMessage = {
      ...siteOnly,
      event: 'resolved',
      idempotencyKey: 'inc-42:resolved:am',
      alert: { ...siteOnly.alert, resolvedAt: iso(1_000) },
    };
    expect(await sendTo(channel, resolved, context)).toMatchObject({ ok: true });
    const after = await until(
      () => alertsOf(url),
      (alerts) => !alerts.some((alert) => alert.labels.incident === 'inc-42'),
    );
    expect(after.map((alert) => alert.labels.incident)).toEqual(['inc-43']);
  });

  it('gives up on an alert Alertmanager refuses (a startsAt that is not a time) rather than send it again', async () => {
    alertmanager = await startAlertmanager(tmp());
    const channel: Channel = { id: 'am', organisation: 'icb', type: 'alertmanager', url: alertmanager.url };
    const broken = openedMessage({ startedAt: 'not a time' });
    const delivery = await sendTo(channel, broken, now().context);
    expect(delivery).toMatchObject({ ok: false, retryable: false });
    expect(delivery.ok === false && delivery.reason).toMatch(/^Alertmanager answered 400/);
  });
});
