import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { OverviewNowResponse, OverviewResponse } from '../../server/api/types.js';
import { type ComplianceThread, complianceThread } from '../../server/principles/compliance-thread.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from '../helpers/as-admin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';
import { MINUTE, NOW, overviewEstate, runsRecovered, storeOverviewCase } from './overview-case.js';

const tmp = useTmpDir();

describe('GET /api/v1/overview', () => {
  let store: SqliteStores;
  let app: RequestListener;
  let now = NOW;
  const get = async <T>(path: string) => {
    const answer = await request(app).get(path);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as T;
  };
  const overview = (query = '') => get<OverviewResponse>(`/api/v1/overview${query}`);

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'overview.db'));
    const estate = overviewEstate();
    await storeOverviewCase(store, estate);
    app = await asAdmin(
      createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate }),
      store,
    );
  });
  afterAll(async () => {
    await store.close();
  });

  it('compares each principle over a period with the same period before it', async () => {
    const body = await overview('?period=2h');
    expect(body.period).toEqual({
      text: '2h',
      from: '2026-11-24T08:30:00.000Z',
      to: '2026-11-24T10:30:00.000Z',
    });
    expect(body.previous).toEqual({
      text: 'the 2h before',
      from: '2026-11-24T06:30:00.000Z',
      to: '2026-11-24T08:30:00.000Z',
    });
    const [epr, records, usable] = body.scorecard.principles;
    expect(epr).toMatchObject({
      id: 'epr-available',
      status: 'breached',
      value: 90,
      target: 99,
      previous: { status: 'met', value: 100 },
      change: -10,
      better: false,
    });
    // Up 95 minutes and down 25 at three sites, up 72 and down 48 at Marsh Lane: 357 / 480.
    expect(records).toMatchObject({
      id: 'records-available',
      status: 'breached',
      value: 74.375,
      change: -25.625,
    });
    // The EPR's 80 meets 68; email and the GP system are withheld, which is no data, not a breach.
    expect(usable).toMatchObject({ id: 'usable', status: 'met', value: 80, change: 0 });
    expect(body.scorecard.counts).toEqual({ met: 1, 'at-risk': 0, breached: 2, 'no-data': 0 });
    expect(body.scorecard.previousCounts).toEqual({ met: 3, 'at-risk': 0, breached: 0, 'no-data': 0 });
    const eastfield = body.scorecard.organisations.find((o) => o.id === 'eastfield');
    // It hosts Marsh Lane (the EPR at 72 / 120 = 60% there) and owns the records system.
    expect(eastfield?.principles).toEqual([
      { id: 'epr-available', status: 'breached', value: 60 },
      { id: 'records-available', status: 'breached', value: 74.375 },
    ]);
    expect(eastfield?.counts).toEqual({ met: 0, 'at-risk': 0, breached: 2, 'no-data': 0 });
    expect(eastfield?.previousCounts).toEqual({ met: 2, 'at-risk': 0, breached: 0, 'no-data': 0 });
  });

  it('draws every site against every system the availability principles cover, each cell its evidence', async () => {
    const { heatmap } = await overview('?period=2h');
    expect(heatmap?.metric).toBe('availability');
    expect(heatmap?.sites.map((s) => s.id)).toEqual([
      'st-annes',
      'marsh-lane',
      'hill-surgery',
      'park-clinic',
    ]);
    expect(heatmap?.systems.map((s) => s.id)).toEqual(['epr', 'records']);
    expect(heatmap?.cells).toHaveLength(8);
    const cell = (site: string, system: string) =>
      heatmap?.cells.find((c) => c.site === site && c.system === system);
    expect(cell('marsh-lane', 'epr')).toEqual({
      site: 'marsh-lane',
      system: 'epr',
      principle: 'epr-available',
      status: 'breached',
      value: 60,
      target: 99,
      href: '/principles/epr-available?period=2h&site=marsh-lane&system=epr',
    });
    expect(cell('st-annes', 'epr')).toMatchObject({ status: 'met', value: 100 });
    // Up 08:30 to 10:05, down 25 minutes: 95 / 120.
    expect(cell('st-annes', 'records')?.value).toBeCloseTo(79.1667, 4);
    expect(cell('st-annes', 'records')?.target).toBe(99.9);

    const one = await overview('?period=2h&principle=epr-available');
    expect(one.heatmap?.systems.map((s) => s.id)).toEqual(['epr']);
    expect(one.heatmap?.principles.map((p) => p.id)).toEqual(['epr-available']);
  });

  it('groups what is failing now: one line for a site whose link is down, one for a system down everywhere', async () => {
    const { now: live } = await overview();
    expect(live.refreshSeconds).toBe(60);
    expect(live.failing).toEqual([
      {
        kind: 'site',
        id: 'marsh-lane',
        name: 'Marsh Lane Centre',
        what: '4 systems unreachable',
        since: '2026-11-24T09:42:00.000Z',
        responsible: { organisation: 'eastfield', name: 'Eastfield Mental Health NHS Trust', role: 'host' },
        systems: ['email', 'epr', 'gp-system', 'shared-care'],
        vantagePoints: ['marsh-lane'],
        checks: ['email-check', 'epr-check', 'gp-system-check', 'shared-care-check'],
        href: '/organisations/eastfield',
      },
      {
        kind: 'system',
        id: 'records',
        name: 'Records archive',
        what: 'failing from 4 of 4 vantage points',
        // Marsh Lane saw it down from 09:42 (its link); half of its places did from 10:05.
        since: '2026-11-24T10:05:00.000Z',
        responsible: { organisation: 'eastfield', name: 'Eastfield Mental Health NHS Trust', role: 'owner' },
        systems: ['records'],
        vantagePoints: ['hill-surgery', 'marsh-lane', 'park-clinic', 'st-annes'],
        checks: ['records-check'],
        href: '/systems/records',
      },
    ]);
    expect(live.silentAgents).toEqual([
      {
        site: 'hill-surgery',
        name: 'Hill Surgery',
        host: 'northgate',
        hostName: 'Northgate GP Federation',
        lastSeen: '2026-11-24T10:20:00.000Z',
      },
    ]);
  });

  it('heads with the latest published campaign against the one before, withheld figures withheld', async () => {
    const { survey } = await overview();
    expect(survey?.survey.id).toBe('usability-2025');
    expect(survey?.previousSurvey?.id).toBe('usability-2024');
    expect(
      survey?.systems.map((s) => [s.system, s.score, s.withheld, s.status, s.previous, s.change]),
    ).toEqual([
      ['epr', 80, false, 'met', 60, 20],
      ['email', null, true, 'no-data', null, null],
      ['gp-system', null, true, 'no-data', null, null],
    ]);
    expect(survey?.systems[0]?.responses).toBe(30);
    expect(survey?.systems[0]?.principle).toEqual({ id: 'usable', title: 'Usable systems', target: 68 });
  });

  it('takes today and calendar periods, each compared with the one before', async () => {
    const today = await overview('?period=today');
    expect(today.period).toMatchObject({ from: '2026-11-24T00:00:00.000Z', to: '2026-11-24T10:30:00.000Z' });
    expect(today.previous).toEqual({
      text: 'yesterday',
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
    });
    expect((await overview('?period=2026-01')).previous.text).toBe('2025-12');
    expect((await overview('?period=2026-Q1')).previous.text).toBe('2025-Q4');
    expect((await overview('?period=2026')).previous.text).toBe('2025');
  });

  it('refuses a period or principle it cannot read, naming it', async () => {
    const period = await request(app).get('/api/v1/overview?period=soon');
    expect(period.status).toBe(400);
    expect(period.body.error.message).toMatch(/^query parameter 'period': period 'soon' is not understood/);
    expect(period.body.error.details[0].path).toBe('period');
    const principle = await request(app).get('/api/v1/overview?principle=usable');
    expect(principle.status).toBe(400);
    expect(principle.body.error.message).toBe(
      "query parameter 'principle': no availability or latency principle with id 'usable'",
    );
    const extra = await request(app).get('/api/v1/overview/now?period=30d');
    expect(extra.status).toBe(400);
  });

  it('answers the state now alone, and a system that recovers leaves it', async () => {
    // Within a minute the period's figures are those worked out last; the state now is read afresh.
    now = NOW + 30_000;
    const kept = await overview('?period=2h');
    expect(kept.period.to).toBe('2026-11-24T10:30:00.000Z');
    expect(kept.now.at).toBe('2026-11-24T10:30:30.000Z');
    await store.results.recordRuns(runsRecovered(NOW, 2));
    now = NOW + 2 * MINUTE;
    // A minute on, the kept figures still answer at once while newer ones are worked out behind them.
    expect((await overview('?period=2h')).period.to).toBe('2026-11-24T10:30:00.000Z');
    const refreshed = await until(
      () => overview('?period=2h'),
      (answer) => answer.period.to === '2026-11-24T10:32:00.000Z',
    );
    expect(refreshed.period.to).toBe('2026-11-24T10:32:00.000Z');
    const live = await get<OverviewNowResponse>('/api/v1/overview/now');
    expect(live.at).toBe('2026-11-24T10:32:00.000Z');
    // The records system is back but for Marsh Lane, whose link is still down: one line, its host's.
    expect(live.failing.map((line) => [line.kind, line.id, line.what])).toEqual([
      ['site', 'marsh-lane', '5 systems unreachable'],
    ]);
    // Kept figures over 15 minutes old are not given: the ask waits for new ones.
    now = NOW + 20 * MINUTE;
    expect((await overview('?period=2h')).period.to).toBe('2026-11-24T10:50:00.000Z');
  });
});

describe('GET /api/v1/overview with a compliance thread', () => {
  it('gives the very figures the server works out alone, the period before judged in the thread', async () => {
    const file = join(tmp(), 'overview-thread.db');
    const store = SqliteStores.open(file);
    const failures: string[] = [];
    const inner = complianceThread(file, (message) => failures.push(message));
    if (!inner) throw new Error('a database file has a thread');
    // The thread as the server has it, counting the periods it is asked to judge whole.
    const asked: string[] = [];
    const thread: ComplianceThread = {
      latencyTallies: (...args) => inner.latencyTallies(...args),
      headlinesOf: (estate, principles, period) => {
        asked.push(period.text);
        return inner.headlinesOf(estate, principles, period);
      },
      get busy() {
        return inner.busy;
      },
      close: () => inner.close(),
    };
    try {
      const estate = overviewEstate();
      await storeOverviewCase(store, estate);
      const deps = { store, clock: { now: () => NOW }, logger: silentLogger, estate: () => estate };
      const alone = await asAdmin(createApp(deps), store);
      const shared = await asAdmin(createApp({ ...deps, complianceThread: thread }), store);
      for (const period of ['2h', '1d', '30d', '2026-11']) {
        const one = await request(alone).get(`/api/v1/overview?period=${period}`);
        const two = await request(shared).get(`/api/v1/overview?period=${period}`);
        expect(two.status, JSON.stringify(two.body)).toBe(200);
        expect(two.body).toEqual(one.body);
      }
      expect(asked).toEqual(['the 2h before', 'the 1d before', 'the 30d before', '2026-10']);
      expect(failures).toEqual([]);
    } finally {
      await thread.close();
      await store.close();
    }
  });
});
