import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ComplianceListResponse,
  ComplianceResponse,
  OutagesResponse,
  PrinciplesResponse,
} from '../../server/api/types.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { type AdminServer, adminServer } from '../helpers/admin-server.js';
import { estateFrom } from '../helpers/estates.js';
import { octoberEstateYaml, octoberPushed, SITES } from '../helpers/october-case.js';
import { useTmpDir } from '../helpers/tmp.js';

/*
 * The estate and its runs are test/helpers/october-case.ts, shared with the pages' browser tests.
 * One system (epr, owned by riverside) checked every 5 minutes from three sites, each hosted by a
 * different organisation, for the whole of October 2026 (British Summer Time until 01:00 UTC on Sunday
 * 25 October, then GMT). Friday 2 October is listed as a bank holiday. Results are pushed over the
 * agents' API ten to forty days after they ran: the agents' API refuses only results ahead of its clock, so
 * a month of history (older than the 35 days raw results are kept) is taken like fresh results.
 *
 * The month runs from 2026-09-30T23:00Z to 2026-11-01T00:00Z: 31 days and one hour = 44,700 minutes.
 * Core hours (Mon–Fri 08:00–18:30 London, 630 minutes a day): 22 weekdays less the bank holiday = 21
 * days = 13,230 minutes at each site. Runs every 5 minutes from 23:00Z on 30 September to 23:55Z on
 * 31 October; a run's state holds until the next run (5 minutes later), or 5½ minutes when none follows.
 *
 * What happened (UTC, with London time):
 * A. hill-view fails Tue 6 Oct 09:00Z–09:30Z (10:00–10:30 BST): core; only one site of three down, so
 *    30 minutes are the host's (northgate).
 * B. hill-view fails Sat 10 Oct 02:00Z–03:00Z (03:00–04:00 BST): 60 minutes, outside core hours; host.
 * C. marsh-lane is silent Thu 8 Oct: no runs from 12:00Z to 16:00Z (13:00–17:00 BST). Its 11:55Z run
 *    holds until 12:00:30Z, so 12:00:30Z–16:00Z is unknown: 239.5 minutes, all in core hours.
 * G. During C, hill-view fails 13:00Z–13:20Z (14:00–14:20 BST). The known vantage points are st-annes
 *    (up) and hill-view (down): one of two, at least half, so these 20 minutes are the owner's.
 * D. A maintenance window covers marsh-lane Wed 14 Oct 12:00–14:00 London (11:00Z–13:00Z): 120 minutes
 *    of maintenance in core hours. marsh-lane fails 11:30Z–12:30Z inside it: no down time at all.
 * E. st-annes fails Mon 26 Oct 07:50Z–08:10Z, the first Monday after the clocks went back: 08:00
 *    London is 08:00Z, so 10 of its 20 minutes are in core hours (in summer time they would all be).
 *    Host (riverside, as st-annes' host).
 * F. Every site fails Tue 20 Oct 14:00Z–14:45Z (15:00–15:45 BST): 45 minutes each, the owner's.
 *    st-annes keeps failing until 15:00Z: 15 more minutes at one site of three, the host's.
 *
 * Core hours (target 99.5%):
 *   st-annes   down 10 (E) + 60 (F) = 70: owner 45, host 25; up 13,230 − 70 = 13,160.
 *              availability 13160/13230 = 99.4709%; allowed 0.5% × 13,230 = 66.15, left −3.85: breached.
 *   marsh-lane down 45 (F, owner); maintenance 120; unknown 239.5; up 13,230 − 45 − 120 − 239.5 =
 *              12,825.5. availability 12825.5/12870.5 = 99.6504%; allowed 64.3525, left 19.3525: met
 *              (the month is over, so nothing is left to burn: not at risk).
 *   hill-view  down 30 (A, host) + 20 (G, owner) + 45 (F, owner) = 95: owner 65, host 30; up 13,135.
 *              availability 13135/13230 = 99.2819%; allowed 66.15, left −28.85: breached.
 *   epr (all three): up 39,120.5, down 210, maintenance 120, unknown 239.5; 39120.5/39330.5.
 * All time (target 99.9%):
 *   st-annes   down 20 (E) + 60 (F) = 80: owner 45, host 35; up 44,620; allowed 44.7, left −35.3.
 *   marsh-lane down 45 (owner); maintenance 120; unknown 239.5; up 44,295.5; 44295.5/44340.5 =
 *              99.8985%: allowed 44.3405, left −0.6595: breached, just.
 *   hill-view  down 30 + 60 (A, B: host) + 20 + 45 (G, F: owner) = 155: owner 65, host 90; up 44,545.
 */

const tmp = useTmpDir();
const NOW = Date.UTC(2026, 10, 10, 12, 0);

describe('compliance of availability principles over October 2026, pushed over the agents API', () => {
  let store: SqliteStores;
  let server: AdminServer;
  const get = <T>(path: string) => server.get<T>(path);

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'compliance.db'));
    const estate = estateFrom(octoberEstateYaml);
    await store.estate.syncEstate(estate, NOW);
    server = await adminServer(store, estate, NOW);
    // Results weeks old are taken like fresh ones.
    for (const site of SITES) await server.push(site, octoberPushed(site));
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await store.close();
  });

  const item = (answer: ComplianceResponse, site: string) => answer.items.find((i) => i.site === site);

  it('counts core hours to the minute, across the clocks going back, with every bad minute attributed', async () => {
    const { status, body } = await get<ComplianceResponse>(
      '/api/v1/principles/epr-core/compliance?period=2026-10',
    );
    expect(status).toBe(200);
    expect(body.period).toEqual({ from: '2026-09-30T23:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    expect(body.accounting.version).toBe(1);
    expect(body.items.map((i) => i.site)).toEqual(['hill-view', 'marsh-lane', 'st-annes']);

    const st = item(body, 'st-annes');
    expect(st?.minutes).toEqual({ up: 13_160, down: 70, maintenance: 0, unknown: 0 });
    expect(st?.attribution).toEqual([
      { organisation: 'riverside', role: 'owner', minutes: 45 },
      { organisation: 'riverside', role: 'host', minutes: 25 },
    ]);
    expect(st?.value).toBeCloseTo((13_160 / 13_230) * 100, 9);
    expect(st?.budget.allowed).toBeCloseTo(66.15, 9);
    expect(st?.budget.spent).toBe(70);
    expect(st?.budget.left).toBeCloseTo(-3.85, 9);
    expect([st?.status, st?.target, st?.system]).toEqual(['breached', 99.5, 'epr']);

    const marsh = item(body, 'marsh-lane');
    expect(marsh?.minutes).toEqual({ up: 12_825.5, down: 45, maintenance: 120, unknown: 239.5 });
    expect(marsh?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', minutes: 45 }]);
    expect(marsh?.value).toBeCloseTo((12_825.5 / 12_870.5) * 100, 9);
    expect(marsh?.budget.allowed).toBeCloseTo(64.3525, 9);
    expect(marsh?.budget.left).toBeCloseTo(19.3525, 9);
    expect(marsh?.status).toBe('met');

    const hill = item(body, 'hill-view');
    expect(hill?.minutes).toEqual({ up: 13_135, down: 95, maintenance: 0, unknown: 0 });
    expect(hill?.attribution).toEqual([
      { organisation: 'riverside', role: 'owner', minutes: 65 },
      { organisation: 'northgate', role: 'host', minutes: 30 },
    ]);
    expect(hill?.status).toBe('breached');

    expect(body.status).toBe('breached');
    expect(body.value).toBeCloseTo((39_120.5 / 39_330.5) * 100, 9);
    expect(body.bySystem).toHaveLength(1);
    expect(body.bySystem[0]?.minutes).toEqual({ up: 39_120.5, down: 210, maintenance: 120, unknown: 239.5 });
    expect(body.bySystem[0]?.attribution).toEqual([
      { organisation: 'riverside', role: 'owner', minutes: 155 },
      { organisation: 'northgate', role: 'host', minutes: 30 },
      { organisation: 'riverside', role: 'host', minutes: 25 },
    ]);
    expect(body.bySite.map((s) => [s.site, s.status, s.minutes.down])).toEqual([
      ['hill-view', 'breached', 95],
      ['marsh-lane', 'met', 45],
      ['st-annes', 'breached', 70],
    ]);
    const orgs = Object.fromEntries(body.byOrganisation.map((o) => [o.organisation, o]));
    expect(Object.keys(orgs)).toEqual(['eastfield', 'northgate', 'riverside']);
    expect([orgs.eastfield?.status, orgs.eastfield?.attributed, orgs.eastfield?.minutes.up]).toEqual([
      'met',
      0,
      12_825.5,
    ]);
    expect([orgs.northgate?.status, orgs.northgate?.attributed]).toEqual(['breached', 30]);
    expect(orgs.northgate?.attribution).toEqual([{ organisation: 'northgate', role: 'host', minutes: 30 }]);
    expect(orgs.riverside?.minutes).toEqual(body.bySystem[0]?.minutes);
    expect(orgs.riverside?.attribution).toEqual([
      { organisation: 'riverside', role: 'owner', minutes: 155 },
      { organisation: 'riverside', role: 'host', minutes: 25 },
    ]);
    expect(orgs.riverside?.attributed).toBe(180);
  });

  it('counts all time for a 24x7 principle, scoped by the owning organisation', async () => {
    const { body } = await get<ComplianceResponse>('/api/v1/principles/epr-always/compliance?period=2026-10');
    const st = item(body, 'st-annes');
    expect(st?.minutes).toEqual({ up: 44_620, down: 80, maintenance: 0, unknown: 0 });
    expect(st?.attribution).toEqual([
      { organisation: 'riverside', role: 'owner', minutes: 45 },
      { organisation: 'riverside', role: 'host', minutes: 35 },
    ]);
    expect(st?.budget.allowed).toBeCloseTo(44.7, 9);
    expect(st?.budget.left).toBeCloseTo(-35.3, 9);
    const marsh = item(body, 'marsh-lane');
    expect(marsh?.minutes).toEqual({ up: 44_295.5, down: 45, maintenance: 120, unknown: 239.5 });
    expect(marsh?.value).toBeCloseTo((44_295.5 / 44_340.5) * 100, 9);
    expect(marsh?.budget.left).toBeCloseTo(-0.6595, 9);
    expect(marsh?.status).toBe('breached');
    const hill = item(body, 'hill-view');
    expect(hill?.minutes).toEqual({ up: 44_545, down: 155, maintenance: 0, unknown: 0 });
    expect(hill?.attribution).toEqual([
      { organisation: 'northgate', role: 'host', minutes: 90 },
      { organisation: 'riverside', role: 'owner', minutes: 65 },
    ]);
    for (const i of body.items)
      expect(i.minutes.up + i.minutes.down + i.minutes.maintenance + i.minutes.unknown).toBe(44_700);
  });

  it('prints its rules with the figures, naming the hold and the half-of-known-vantage-points rule', async () => {
    const { body } = await get<ComplianceResponse>('/api/v1/principles/epr-core/compliance?period=2026-10');
    expect(body.accounting.text).toContain('Accounting, version 1.');
    expect(body.accounting.text).toContain(
      'at most one interval plus a tenth of it (at most 30 seconds more)',
    );
    expect(body.accounting.text).toContain('at least half of the vantage points whose state was known');
    expect(body.accounting.text).toContain('at-risk when');
  });

  it('lists the outages of a day per vantage point, with whose minutes they are, maintenance left out', async () => {
    const day = await get<OutagesResponse>(
      '/api/v1/checks/epr-login/outages?from=2026-10-20T00:00:00Z&to=2026-10-21T00:00:00Z',
    );
    expect(day.status).toBe(200);
    const of = (vp: string) => day.body.vantagePoints.find((v) => v.vantagePoint === vp);
    expect(of('st-annes')?.outages).toEqual([
      {
        from: '2026-10-20T14:00:00.000Z',
        to: '2026-10-20T15:00:00.000Z',
        minutes: 60,
        attribution: [
          { organisation: 'riverside', role: 'owner', minutes: 45 },
          { organisation: 'riverside', role: 'host', minutes: 15 },
        ],
      },
    ]);
    expect(of('hill-view')?.host).toBe('northgate');
    expect(of('hill-view')?.outages.map((o) => [o.from, o.minutes])).toEqual([
      ['2026-10-20T14:00:00.000Z', 45],
    ]);
    const maintenanceDay = await get<OutagesResponse>(
      '/api/v1/checks/epr-login/outages?from=2026-10-14T00:00:00Z&to=2026-10-15T00:00:00Z',
    );
    expect(maintenanceDay.body.vantagePoints.flatMap((v) => v.outages)).toEqual([]);
  });

  it('cuts outages to core hours when asked, as a core-hours principle counts them', async () => {
    const day = 'from=2026-10-26T00:00:00Z&to=2026-10-27T00:00:00Z';
    const stAnnes = (answer: { body: OutagesResponse }) =>
      answer.body.vantagePoints
        .find((v) => v.vantagePoint === 'st-annes')
        ?.outages.map((o) => [o.from, o.to, o.minutes]);
    const allDay = await get<OutagesResponse>(`/api/v1/checks/epr-login/outages?${day}`);
    // The first Monday after the clocks went back: 07:50–08:10 UTC is 07:50–08:10 in London.
    expect(stAnnes(allDay)).toEqual([['2026-10-26T07:50:00.000Z', '2026-10-26T08:10:00.000Z', 20]]);
    const core = await get<OutagesResponse>(`/api/v1/checks/epr-login/outages?${day}&hours=core`);
    expect(core.body.hours).toBe('core');
    expect(stAnnes(core)).toEqual([['2026-10-26T08:00:00.000Z', '2026-10-26T08:10:00.000Z', 10]]);
    expect((await get(`/api/v1/checks/epr-login/outages?${day}&hours=weekdays`)).status).toBe(400);
  });

  it('lists every principle with its status and worst items', async () => {
    const { status, body } = await get<PrinciplesResponse>('/api/v1/principles');
    expect(status).toBe(200);
    const byId = Object.fromEntries(body.principles.map((p) => [p.id, p]));
    expect(byId['epr-core']?.window).toBe('30d');
    expect(byId['epr-core']?.period).toEqual({
      from: '2026-10-11T12:00:00.000Z',
      to: '2026-11-10T12:00:00.000Z',
    });
    expect(byId['epr-always']?.status).toBe('breached');
    expect(byId['epr-always']?.worst).toHaveLength(3);
    // Every run took 47 ms: the latency principle (p95 ≤ 3 s) is met (its own case is compliance-latency).
    expect([byId['epr-fast']?.status, byId['epr-fast']?.message]).toEqual(['met', undefined]);
    const fast = await get<ComplianceResponse>('/api/v1/principles/epr-fast/compliance?period=2026-10');
    expect([fast.status, fast.body.status, fast.body.items.length]).toEqual([200, 'met', 3]);
  });

  it('gives every principle over one period in one answer, the same as each asked alone', async () => {
    const { status, body } = await get<ComplianceListResponse>('/api/v1/compliance?period=2026-10');
    expect(status).toBe(200);
    expect(body.accounting.version).toBe(1);
    const listed = estateFrom(octoberEstateYaml).principles.map((p) => p.id);
    expect(body.items.map((item) => item.principle.id)).toEqual(listed);
    for (const item of body.items) {
      const alone = await get<ComplianceResponse>(
        `/api/v1/principles/${item.principle.id}/compliance?period=2026-10`,
      );
      expect({ ...item, target: undefined }).toEqual({ ...alone.body, target: undefined });
    }
    expect(body.items.find((item) => item.principle.id === 'epr-core')?.target).toBe(99.5);
    expect((await get('/api/v1/compliance?period=2026-13')).status).toBe(400);
  });

  it('refuses a period it cannot read with a 400 naming period and the forms it takes', async () => {
    for (const period of ['2026-13', 'last-month', '2027', '500d']) {
      const { status, body } = await get<{ error: { code: string; message: string } }>(
        `/api/v1/principles/epr-core/compliance?period=${period}`,
      );
      expect(status).toBe(400);
      expect(body.error.message).toContain(`query parameter 'period': period '${period}'`);
    }
    const unread = await get<{ error: { message: string } }>(
      '/api/v1/principles/epr-core/compliance?period=soon',
    );
    expect(unread.body.error.message).toContain('2026-Q4');
    expect((await get('/api/v1/principles/nope/compliance?period=2026-10')).status).toBe(404);
    expect(
      (await get('/api/v1/checks/epr-login/outages?from=2026-10-21T00:00:00Z&to=2026-10-20T00:00:00Z'))
        .status,
    ).toBe(400);
    expect((await get('/api/v1/checks/epr-login/outages?from=yesterday')).status).toBe(400);
  });

  it('gives each partner its own scorecard: only the minutes attributed to it, and where', async () => {
    type Scorecard = import('../../server/api/types.js').OrganisationComplianceResponse;
    const core = (card: Scorecard) => card.principles.find((p) => p.id === 'epr-core');
    // Northgate hosts hill-view: its 30 core minutes of A are its own; G and F are the owner's.
    const northgate = (await get<Scorecard>('/api/v1/organisations/northgate/compliance?period=2026-10'))
      .body;
    expect(core(northgate)?.responsibleMinutes).toBe(30);
    expect(core(northgate)?.gaps).toEqual([
      expect.objectContaining({
        site: 'hill-view',
        system: 'epr',
        minutes: 30,
        roles: [{ organisation: 'northgate', role: 'host', minutes: 30 }],
      }),
    ]);
    // Riverside owns epr (45 + 45 + 65 owner minutes) and hosts st-annes (25 host minutes of E and F).
    const riverside = (await get<Scorecard>('/api/v1/organisations/riverside/compliance?period=2026-10'))
      .body;
    expect(core(riverside)?.responsibleMinutes).toBe(180);
    expect(core(riverside)?.gaps.map((g) => [g.site, g.minutes])).toEqual([
      ['st-annes', 70],
      ['hill-view', 65],
      ['marsh-lane', 45],
    ]);
    // Eastfield hosts marsh-lane, whose only down minutes (F) were every site's: none are its own.
    const eastfield = (await get<Scorecard>('/api/v1/organisations/eastfield/compliance?period=2026-10'))
      .body;
    expect(core(eastfield)?.responsibleMinutes).toBe(0);
    expect(core(eastfield)?.gaps).toEqual([]);
    // Latency is evaluated too: every run was fast.
    expect(riverside.principles.find((p) => p.id === 'epr-fast')?.status).toBe('met');
    expect((await get('/api/v1/organisations/nowhere/compliance')).status).toBe(404);
  });
});
