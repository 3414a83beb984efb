import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { useTmpDir } from '../helpers/tmp.js';
import { type AlertsFixture, MINUTE, minutes, openAlerts, run, SITES, T0 } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const DAY = 86_400_000;

async function beat(f: AlertsFixture, site: string, tokenId: string, at: number) {
  await f.store.agents.recordHeartbeat({
    site,
    tokenId,
    at,
    version: '1.0.0',
    clockOffsetMs: 0,
    outbox: { depth: 0, dropped: 0, oldestAt: null },
  });
}

describe('an agent gone silent', () => {
  it('tells its site’s host after the rule’s time, resolves when heard again, and leaves its checks unknown', async () => {
    const f = await openAlerts(tmp());
    fixture = f;
    const tokens = new Map<string, string>();
    for (const site of SITES) {
      tokens.set(site, (await createAgentToken(f.store.agents, { site, label: null, at: T0 })).id);
      await beat(f, site, tokens.get(site) as string, T0);
    }
    // Everyone else keeps beating; marsh-lane's agent stops.
    // Marsh Lane's last word on scr-api was up.
    await f.push(minutes(['scr-api'], SITES.slice(0, 3), 0, 1, true));
    for (let m = 1; m <= 12; m++) {
      for (const site of SITES.filter((s) => s !== 'marsh-lane'))
        await beat(f, site, tokens.get(site) as string, T0 + m * MINUTE);
      await f.timers.advance(MINUTE);
    }
    await f.subsystem.engine.idle();
    const open = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      rule: 'agent-silent',
      organisation: 'eastfield',
      role: 'host',
      subject: { kind: 'site', id: 'marsh-lane' },
      title: 'Marsh Lane Centre: agent silent since 09:40',
      startedAt: T0,
      severity: 'warning',
    });
    expect(f.notifier.sent.map((s) => [s.channelId, s.message.event, s.message.alert.rule])).toEqual([
      ['eastfield-it', 'opened', 'agent-silent'],
    ]);
    // While it is silent, one of the two others failing is half of those known: the owner's, not the host's.
    await f.push([
      ...minutes(['scr-api'], ['canal-street'], 13, 16, false),
      ...minutes(['scr-api'], ['st-annes'], 13, 16, true),
    ]);
    const failing = (await f.store.incidents.list({ state: 'open', limit: 10 })).find(
      (i) => i.rule === 'consecutive-failures',
    );
    expect(failing).toMatchObject({ organisation: 'riverside', role: 'owner' });
    await beat(f, 'marsh-lane', tokens.get('marsh-lane') as string, T0 + 16 * MINUTE);
    await f.timers.advance(MINUTE);
    await f.subsystem.engine.idle();
    const silent = (await f.store.incidents.list({ state: 'all', limit: 10 })).find(
      (i) => i.rule === 'agent-silent',
    );
    expect(silent?.resolvedAt).toBe(T0 + 16 * MINUTE);
  });

  it('while the agent is heard, the same failure at one site of three is its host’s', async () => {
    const f = await openAlerts(tmp());
    fixture = f;
    await f.push([
      ...minutes(['scr-api'], ['marsh-lane', 'st-annes'], 0, 3, true),
      ...minutes(['scr-api'], ['canal-street'], 0, 3, false),
    ]);
    const open = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open.map((i) => [i.organisation, i.role])).toEqual([['canal-gp', 'host']]);
  });

  it('a link down at a site: its agent silent, then its backlog of failures is the host’s, not the owner’s', async () => {
    const f = await openAlerts(tmp());
    fixture = f;
    const tokens = new Map<string, string>();
    for (const site of SITES)
      tokens.set(site, (await createAgentToken(f.store.agents, { site, label: null, at: T0 })).id);
    for (let m = 0; m <= 30; m++) {
      for (const site of SITES)
        if (site !== 'marsh-lane' || m === 0)
          await beat(f, site, tokens.get(site) as string, T0 + m * MINUTE);
      await f.push(
        minutes(
          ['epr-login'],
          SITES.filter((s) => s !== 'marsh-lane'),
          m,
          m + 1,
          true,
        ),
      );
      await f.timers.advance(MINUTE);
    }
    expect((await f.store.incidents.list({ state: 'open', limit: 10 })).map((i) => i.rule)).toEqual([
      'agent-silent',
    ]);
    // The link is back: the agent's outbox arrives, every run of the half hour failed.
    await f.push(minutes(['epr-login'], ['marsh-lane'], 1, 31, false));
    const failing = (await f.store.incidents.list({ state: 'open', limit: 10 })).find(
      (i) => i.rule === 'consecutive-failures',
    );
    expect(failing).toMatchObject({ organisation: 'eastfield', role: 'host', startedAt: T0 + MINUTE });
    expect(failing?.backlogReceivedAt).toBe(T0 + 31 * MINUTE);
  });

  it('says nothing of a site whose agent was never heard', async () => {
    const f = await openAlerts(tmp());
    fixture = f;
    await f.timers.advance(30 * MINUTE);
    expect(await f.store.incidents.list({ state: 'all', limit: 10 })).toEqual([]);
  });
});

function tlsRun(minute: number, site: string, expiresAt: number): RunRecord {
  const certificate = {
    subject: 'epr.example.org',
    issuer: 'Test CA',
    validFrom: new Date(T0 - 300 * DAY).toISOString(),
    validTo: new Date(expiresAt).toISOString(),
    daysToExpiry: Math.floor((expiresAt - T0) / DAY),
  };
  return { ...run('epr-login', site, minute, true), details: { certificate } };
}

describe('a certificate expiring', () => {
  it('opens one incident per check for the system’s owner within 14 days, and resolves when renewed', async () => {
    const f = await openAlerts(tmp());
    fixture = f;
    await f.push([tlsRun(0, 'st-annes', T0 + 20 * DAY)]);
    expect(await f.store.incidents.list({ state: 'all', limit: 10 })).toEqual([]);
    await f.push(SITES.map((site) => tlsRun(1, site, T0 + 10 * DAY)));
    const open = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      rule: 'certificate-expiry',
      organisation: 'riverside',
      role: 'owner',
      severity: 'warning',
      evidence: { expiresAt: new Date(T0 + 10 * DAY).toISOString() },
    });
    expect(open[0]?.title).toMatch(
      /^Electronic patient record: the certificate of epr-login expires .* \(in 9 days\)$/,
    );
    await f.push([tlsRun(2, 'st-annes', T0 + 400 * DAY)]);
    expect(await f.store.incidents.list({ state: 'open', limit: 10 })).toEqual([]);
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened', 'resolved']);
  });

  it('follows the estate’s own time, and can be turned off', async () => {
    const base = (await import('./fixture.js')).alertsEstateYaml;
    const f = await openAlerts(
      tmp(),
      `${base}alerts: { rules: { certificate: { within: 30d, severity: critical }, failures: { enabled: false } } }\n`,
    );
    fixture = f;
    await f.push([tlsRun(0, 'st-annes', T0 + 20 * DAY)]);
    await f.push(minutes(['email-web'], SITES, 1, 6, false));
    const open = await f.store.incidents.list({ state: 'open', limit: 10 });
    expect(open.map((i) => [i.rule, i.severity])).toEqual([['certificate-expiry', 'critical']]);
  });
});
