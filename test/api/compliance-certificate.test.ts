import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { ComplianceResponse, OrganisationComplianceResponse } from '../../server/api/types.js';
import type { Estate } from '../../server/config/schema.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from '../helpers/as-admin.js';
import { estateFrom } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { certificate } from '../probes/certificates.js';
import { probe } from '../probes/run.js';
import { useServers } from '../probes/servers.js';

/*
 * One tls check of epr (owned by riverside), every hour from st-annes (host riverside) and hill-view
 * (host northgate), for October 2026 (BST until 01:00Z on Sunday 25 October, then GMT). Results are
 * pushed over the agents' API five to six weeks after they ran, hill-view's newest first.
 *
 * st-annes is sent certificate A (expires 20 Oct 12:00Z) until its 09:00Z run on Monday 5 October, and
 * certificate B (expires 10 Jan 2027 00:00Z) from 10:00Z. Fewest days: A at its last run,
 * 20 Oct 12:00Z − 5 Oct 09:00Z = 15 days 3 hours = 15.125 → 15.12. A is under 14 days only from 6 Oct
 * 12:00Z, when it was no longer seen: no minute under target.
 *
 * hill-view is sent certificate C (expires 5 Nov 08:00Z) all month. Its last run, 31 Oct 23:00Z, is
 * 4 days 9 hours from expiry = 4.375 → 4.37: breached. C is under 14 days from Thu 22 Oct 08:00Z
 * (09:00 BST). Core minutes under target: 22 Oct 08:00Z–17:30Z (570), Fri 23 (630), Mon 26–Fri 30 in
 * GMT, 08:00Z–18:30Z (5 × 630 = 3,150): 4,350, less a maintenance window at hill-view on Tue 27 Oct
 * 12:00–14:00 London (12:00Z–14:00Z, GMT): 120. Down 4,230, maintenance 120, up 22 × 630 − 4,350 = 9,510.
 * All time (24x7): under target 22 Oct 08:00Z to 1 Nov 00:00Z = 232 hours = 13,920 minutes, less the 120:
 * 13,800.
 */

const tmp = useTmpDir();
const servers = useServers();
const NOW = Date.UTC(2026, 10, 10, 12, 0);
const MONTH_FROM = Date.UTC(2026, 8, 30, 23, 0);
const MONTH_TO = Date.UTC(2026, 10, 1, 0, 0);
const HOUR = 3_600_000;
const utc = (day: number, hour: number, minute = 0) => Date.UTC(2026, 9, day, hour, minute);

const yaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: northgate, name: Northgate Community Trust, kind: community }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: hill-view, name: Hill View Clinic, host: northgate }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-tls, system: epr, type: tls, target: "epr.example.org:443", every: 1h, from: [st-annes, hill-view] }
principles:
  - { id: certificates, title: No expired certificates, metric: certificate-expiry, target: 14, hours: core, scope: { systems: [epr] } }
  - { id: certificates-always, title: No expired certificates at any time, metric: certificate-expiry, target: 14, hours: 24x7 }
maintenance:
  - { id: hill-view-switch, title: Hill View switch, start: 2026-10-27T12:00, end: 2026-10-27T14:00, scope: { sites: [hill-view] } }
`;

const A = '2026-10-20T12:00:00.000Z';
const B = '2027-01-10T00:00:00.000Z';
const C = '2026-11-05T08:00:00.000Z';

function resultsFor(site: string) {
  const results = [];
  for (let at = MONTH_FROM; at < MONTH_TO; at += HOUR) {
    const validTo = site === 'hill-view' ? C : at < utc(5, 10) ? A : B;
    results.push({
      id: `${site}-${at}`,
      checkId: 'epr-tls',
      startedAt: new Date(at).toISOString(),
      state: 'ok',
      phases: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: null, transferMs: null, totalMs: 6 },
      details: {
        certificate: {
          subject: 'CN=epr.example.org',
          issuer: 'CN=Test CA',
          validFrom: '2026-01-01T00:00:00.000Z',
          validTo,
        },
        chain: [
          {
            subject: 'CN=Test CA',
            issuer: 'CN=Test CA',
            validFrom: '2020-01-01T00:00:00.000Z',
            validTo: '2036-01-01T00:00:00.000Z',
          },
        ],
      },
    });
  }
  // Newest first at hill-view: a certificate's first and last runs come out the same whatever the order.
  return site === 'hill-view' ? results.reverse() : results;
}

/** A server for the app, with the estate and clock given, and a way to push and read. */
async function serve(estate: Estate, now: () => number, file: string) {
  const store = SqliteStores.open(join(tmp(), file));
  await store.estate.syncEstate(estate, now());
  const app = createApp({
    store,
    clock: { now },
    logger: silentLogger,
    estate: () => estate,
    metrics: new Registry(),
  });
  const server = createServer(await asAdmin(app, store));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const push = async (site: string, results: unknown[]) => {
    const { token } = await createAgentToken(store.agents, { site, label: null, at: now() });
    for (let i = 0; i < results.length; i += 5_000) {
      const answer = await fetch(`${base}/api/v1/agent/results`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ results: results.slice(i, i + 5_000) }),
      });
      expect(answer.status, await answer.clone().text()).toBeLessThan(300);
    }
  };
  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const answer = await fetch(`${base}${path}`);
    return { status: answer.status, body: (await answer.json()) as T };
  };
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  };
  return { push, get, close };
}

describe('certificate-expiry principles over October 2026, pushed over the agents API', () => {
  let app: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    app = await serve(estateFrom(yaml), () => NOW, 'certificates.db');
    await app.push('st-annes', resultsFor('st-annes'));
    await app.push('hill-view', resultsFor('hill-view'));
  }, 60_000);

  afterAll(async () => {
    await app.close();
  });

  it('gives the fewest days seen per site and system, and the core minutes under target, the owner’s', async () => {
    const { status, body } = await app.get<ComplianceResponse>(
      '/api/v1/principles/certificates/compliance?period=2026-10',
    );
    expect(status).toBe(200);
    expect(body.items.map((i) => [i.site, i.system, i.status, i.value, i.target])).toEqual([
      ['hill-view', 'epr', 'breached', 4.37, 14],
      ['st-annes', 'epr', 'met', 15.12, 14],
    ]);
    const [hill, st] = body.items;
    expect(hill?.minutes).toEqual({ up: 9_510, down: 4_230, maintenance: 120, unknown: 0 });
    expect(hill?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', minutes: 4_230 }]);
    expect(hill?.budget).toEqual({ allowed: 0, spent: 4_230, left: -4_230 });
    expect(st?.minutes).toEqual({ up: 13_860, down: 0, maintenance: 0, unknown: 0 });
    expect(st?.attribution).toEqual([]);
    // Check by check: the fewest days, and the certificate seen last (B, at the month's last run).
    expect(st?.certificates).toEqual([
      {
        check: 'epr-tls',
        value: 15.12,
        lastSeen: { expires: B, at: '2026-10-31T23:00:00.000Z' },
      },
    ]);
    expect(hill?.certificates).toEqual([
      { check: 'epr-tls', value: 4.37, lastSeen: { expires: C, at: '2026-10-31T23:00:00.000Z' } },
    ]);
    expect([body.status, body.value]).toEqual(['breached', 4.37]);
    expect(body.bySystem).toEqual([
      expect.objectContaining({ system: 'epr', status: 'breached', value: 4.37 }),
    ]);
    expect(body.bySite.map((s) => [s.site, s.status, s.value])).toEqual([
      ['hill-view', 'breached', 4.37],
      ['st-annes', 'met', 15.12],
    ]);
    expect(body.accounting.text).toContain('Certificates: ');
  });

  it('counts all time for a 24x7 principle', async () => {
    const { body } = await app.get<ComplianceResponse>(
      '/api/v1/principles/certificates-always/compliance?period=2026-10',
    );
    const hill = body.items.find((i) => i.site === 'hill-view');
    expect(hill?.minutes.down).toBe(13_800);
    expect(hill?.minutes.maintenance).toBe(120);
    // October is 31 days and an hour: 44,700 minutes.
    expect(hill?.minutes.up).toBe(44_700 - 13_800 - 120);
  });

  it('has no data for a period with no run shown a certificate', async () => {
    const { body } = await app.get<ComplianceResponse>(
      '/api/v1/principles/certificates/compliance?period=2026-09',
    );
    expect(body.items.map((i) => [i.site, i.status, i.value])).toEqual([
      ['hill-view', 'no-data', null],
      ['st-annes', 'no-data', null],
    ]);
    expect(body.status).toBe('no-data');
  });

  it('is at risk when the certificate seen last comes under target within a rolling window from now', async () => {
    // 60 days to 10 Nov 12:00Z: B comes under 14 days on 27 Dec, before 9 Jan 12:00Z.
    const { body } = await app.get<ComplianceResponse>(
      '/api/v1/principles/certificates/compliance?period=60d',
    );
    expect(body.items.find((i) => i.site === 'st-annes')?.status).toBe('at-risk');
    const thirty = await app.get<ComplianceResponse>('/api/v1/principles/certificates/compliance?period=30d');
    // 30 days: to 10 Dec, B is still 14 days or more from expiry; A's runs are before the window.
    expect(thirty.body.items.find((i) => i.site === 'st-annes')).toMatchObject({
      status: 'met',
      value: 70.04,
    });
  });

  it('puts the breach in the owner’s scorecard and none in the host’s', async () => {
    const owner = await app.get<OrganisationComplianceResponse>(
      '/api/v1/organisations/riverside/compliance?period=2026-10',
    );
    const mine = owner.body.principles.find((p) => p.id === 'certificates');
    expect(mine?.responsibleMinutes).toBe(4_230);
    expect(mine?.gaps.map((g) => [g.site, g.system, g.minutes])).toEqual([['hill-view', 'epr', 4_230]]);
    const host = await app.get<OrganisationComplianceResponse>(
      '/api/v1/organisations/northgate/compliance?period=2026-10',
    );
    expect(host.body.principles.find((p) => p.id === 'certificates')?.gaps).toEqual([]);
  });
});

describe('a certificate-expiry principle from a real TLS server', () => {
  it('gives the days to expiry of the certificate a probe was sent', async () => {
    const soon = await certificate({ notAfter: 10 });
    const { port } = await servers.tls({ key: soon.key, cert: soon.cert });
    const result = await probe({ type: 'tls', target: `127.0.0.1:${port}`, insecure: true });
    expect(result.details?.certificate?.validTo).toBeDefined();
    const validTo = Date.parse(result.details?.certificate?.validTo as string);
    const ran = Date.parse(result.startedAt);
    const estate = estateFrom(`organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-tls, system: epr, type: tls, target: "127.0.0.1:${port}", every: 5m, from: [st-annes], insecure: true }
principles:
  - { id: certificates, title: No expired certificates, metric: certificate-expiry, target: 14, hours: 24x7 }
`);
    const app = await serve(estate, () => ran + 60_000, 'real-tls.db');
    try {
      const { ok: _ok, elapsedMs: _elapsed, ...pushed } = result;
      await app.push('st-annes', [{ ...pushed, id: 'real-run', checkId: 'epr-tls' }]);
      const { body } = await app.get<ComplianceResponse>(
        '/api/v1/principles/certificates/compliance?period=1d',
      );
      const expected = Math.floor(((validTo - ran) / 86_400_000) * 100) / 100;
      expect(expected).toBeGreaterThan(9.9);
      expect(expected).toBeLessThan(10);
      expect(body.items).toEqual([
        expect.objectContaining({ site: 'st-annes', system: 'epr', status: 'breached', value: expected }),
      ]);
      // Under target from the run for its hold (5 minutes and a tenth) to the end of the day asked, now.
      expect(body.items[0]?.minutes.down).toBe(1);
      expect(body.items[0]?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', minutes: 1 }]);
    } finally {
      await app.close();
    }
  });
});
