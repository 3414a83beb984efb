import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetOf } from '../../runs/plan.js';
import { simulatedPart } from '../../server/api/simulated.js';
import type {
  ComplianceResponse,
  EstateView,
  OrganisationComplianceResponse,
  OutagesResponse,
  PrinciplesResponse,
  Simulation,
} from '../../server/api/types.js';
import { loadEstateFile } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';
import type { HistoryEvent } from '../../server/demo/history/events.js';
import { type HistoryPlan, historySpan, planHistory } from '../../server/demo/history/generate.js';
import {
  beginDemoHistory,
  type SeedReport,
  seedDemoHistory,
  writeDemoHistory,
} from '../../server/demo/history/seed.js';
import type { HistoryChunk } from '../../server/store/demo-history.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { type AdminServer, adminServer } from '../helpers/admin-server.js';
import { demoFile, estateFrom, smallEstateYaml } from '../helpers/estates.js';

/*
 * The demo's first start on Thursday 3 December 2026, 14:00 UTC: the history runs from London midnight
 * on 3 November 2025 to that instant. November 2026 lies wholly inside it and holds the one-off EPR
 * upgrade (Saturday 14 November 22:00 to 02:00 London, GMT then), five Sunday patchings at Marsh Lane
 * (1, 8, 15, 22 and 29 November, 06:00–08:00) and the HSCN's monthly patching (Sunday 1 November
 * 22:00 to 01:00), each a real window of the demo estate file.
 */
const NOW = Date.UTC(2026, 11, 3, 14, 0);
const NOVEMBER = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) };
const MINUTE = 60_000;

function demoEstate(): Estate {
  const loaded = loadEstateFile(demoFile, { VANTAGE_DEMO_TARGETS: '127.0.0.1:9' });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return loaded.estate;
}

describe('the demo history: 13 months simulated, written once, marked as simulated', () => {
  const estate = demoEstate();
  let dir: string;
  let store: SqliteStores;
  let server: AdminServer;
  let base: string;
  let report: SeedReport;
  let plan: HistoryPlan;
  const get = async <T>(path: string): Promise<T> => {
    const answer = await fetch(`${base}${path}`);
    expect(answer.status, path).toBe(200);
    return (await answer.json()) as T;
  };
  const inNovember = (event: HistoryEvent) => event.from >= NOVEMBER.from && event.to <= NOVEMBER.to;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vantage-history-'));
    store = SqliteStores.open(join(dir, 'demo.db'));
    await store.estate.syncEstate(estate, NOW);
    report = await seedDemoHistory(store.demoHistory, estate, NOW);
    plan = planHistory(estate, historySpan(NOW), 1);
    console.log(
      `demo history: ${report.stretches} stretches, ${report.rollups} rollups written in ${report.ms} ms`,
    );
    server = await adminServer(store, estate, NOW);
    base = `${server.base}/api/v1`;
  }, 120_000);

  afterAll(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers the 13 months before the first start, from London midnight', () => {
    expect(report.generated).toBe(true);
    expect(report.span.from).toBe(Date.UTC(2025, 10, 3, 0, 0));
    expect(report.span.to).toBe(NOW);
    expect(historySpan(NOW)).toEqual({ from: report.span.from, to: NOW });
    expect(report.stretches).toBeGreaterThan(10_000);
  });

  it('is deterministic: the same seed gives the same history, and it is what was written', async () => {
    const span = historySpan(NOW);
    const one = plan;
    const again = planHistory(estate, span, 1);
    expect(again.events).toEqual(one.events);
    expect(again.series.map((s) => s.stretches)).toEqual(one.series.map((s) => s.stretches));
    const otherSeed = planHistory(estate, span, 2);
    expect(otherSeed.events).not.toEqual(one.events);
    for (const id of ['social-care-login', 'hscn-gateway', 'epr-central']) {
      const stored = await store.results.timeline(id, span.from, span.to + MINUTE);
      for (const planned of one.series.filter((s) => s.series.check.id === id))
        expect(stored.get(planned.series.vantagePoint), `${id} at ${planned.series.vantagePoint}`).toEqual(
          planned.stretches,
        );
    }
  });

  it('gives last month a compliance figure, marked as simulated', async () => {
    const answer = await get<ComplianceResponse>('/principles/epr-available/compliance?period=2026-11');
    expect(['met', 'at-risk', 'breached']).toContain(answer.status);
    expect(typeof answer.value).toBe('number');
    expect(answer.items.length).toBeGreaterThan(10);
    expect(answer.simulated).toEqual({
      from: new Date(NOVEMBER.from).toISOString(),
      to: new Date(NOVEMBER.to).toISOString(),
    });
  });

  it('gives last month a latency figure from the simulated hourly rollups', async () => {
    const answer = await get<ComplianceResponse>('/principles/responsive/compliance?period=2026-11');
    expect(['met', 'at-risk', 'breached']).toContain(answer.status);
    // p95 in core hours: the systems answer in 90–260 ms, up to 1.8 times slower at 09:00, with the
    // shared care record's slow minutes and Marsh Lane's congested link in the tail; well under 3 s.
    expect(answer.value).toBeGreaterThan(100);
    expect(answer.value).toBeLessThan(3000);
    expect(answer.simulated).toBeDefined();
  });

  it('lists a system incident as an outage at every vantage point, the owner’s', async () => {
    const incident = plan.events.find(
      (e) =>
        e.kind === 'system-incident' &&
        e.system === 'identity' &&
        inNovember(e) &&
        e.to - e.from >= 5 * MINUTE,
    );
    if (incident?.kind !== 'system-incident') throw new Error('no identity incident in November');
    const check = estate.checks.find((c) => c.id === 'sso-login');
    const from = new Date(incident.from - 60 * MINUTE).toISOString();
    const to = new Date(incident.to + 60 * MINUTE).toISOString();
    const answer = await get<OutagesResponse>(`/checks/sso-login/outages?from=${from}&to=${to}`);
    expect(answer.vantagePoints.map((v) => v.vantagePoint).sort()).toEqual([...(check?.from ?? [])].sort());
    for (const vantage of answer.vantagePoints) {
      const overlapping = vantage.outages.filter(
        (o) => Date.parse(o.from) < incident.to && Date.parse(o.to) > incident.from,
      );
      expect(overlapping.length, vantage.vantagePoint).toBeGreaterThan(0);
      expect(overlapping.flatMap((o) => o.attribution).map((a) => a.organisation)).toContain('ne-thames-icb');
    }
    expect(answer.simulated).toEqual({ from, to });
  });

  it('lists a site link failure as outages at that site only, its host’s', async () => {
    const failure = plan.events.find((e) => e.kind === 'site-link' && inNovember(e));
    if (failure?.kind !== 'site-link') throw new Error('no link failure in November');
    const host = estate.sites.find((site) => site.id === failure.site)?.host;
    const from = new Date(failure.from).toISOString();
    const to = new Date(failure.to).toISOString();
    const answer = await get<OutagesResponse>(`/checks/hscn-gateway/outages?from=${from}&to=${to}`);
    const there = answer.vantagePoints.find((v) => v.vantagePoint === failure.site);
    const minutes = there?.outages.reduce((sum, o) => sum + o.minutes, 0) ?? 0;
    // Down from the first run inside the failure to its end, give or take a run either side.
    expect(minutes).toBeGreaterThan((failure.to - failure.from) / MINUTE - 2);
    expect(there?.outages.flatMap((o) => o.attribution.map((a) => [a.organisation, a.role]))).toContainEqual([
      host,
      'host',
    ]);
  });

  it('counts the silent afternoon as unknown, to the second, and not as down', async () => {
    const silent = plan.events.find((e) => e.kind === 'silent-agent' && inNovember(e));
    if (silent?.kind !== 'silent-agent') throw new Error('no silent afternoon in November');
    // hscn-gateway runs every minute at its own second; a run holds a minute and 6 s (a tenth more).
    const offset = offsetOf('hscn-gateway', MINUTE);
    const lastBefore = Math.ceil((silent.from - offset) / MINUTE - 1) * MINUTE + offset;
    const firstAfter = Math.ceil((silent.to - offset) / MINUTE) * MINUTE + offset;
    const unknownMs = firstAfter - (lastBefore + MINUTE + 6_000);
    const answer = await get<ComplianceResponse>('/principles/connectivity/compliance?period=2026-11');
    const item = answer.items.find((i) => i.site === silent.site && i.system === 'network');
    expect(item?.minutes.unknown).toBeCloseTo(unknownMs / MINUTE, 6);
    const outages = await get<OutagesResponse>(
      `/checks/hscn-gateway/outages?from=${new Date(silent.from + 2 * MINUTE).toISOString()}&to=${new Date(silent.to).toISOString()}`,
    );
    expect(outages.vantagePoints.find((v) => v.vantagePoint === silent.site)?.outages).toEqual([]);
  });

  it('counts the planned work as maintenance, never as down', async () => {
    const answer = await get<ComplianceResponse>('/principles/connectivity/compliance?period=2026-11');
    const minutes = (site: string) =>
      answer.items.find((i) => i.site === site && i.system === 'network')?.minutes;
    // Five Sunday patchings of 120 minutes, and the HSCN's 180.
    expect(minutes('marsh-lane')?.maintenance).toBeCloseTo(5 * 120 + 180, 6);
    expect(minutes('royal-riverside')?.maintenance).toBeCloseTo(180, 6);
    // The EPR upgrade's work took epr-login down from 23:00 to 01:00, yet no outage is listed inside it.
    const upgrade = { from: Date.UTC(2026, 10, 14, 22), to: Date.UTC(2026, 10, 15, 2) };
    const timeline = await store.results.timeline('epr-login', upgrade.from, upgrade.to);
    const down = [...timeline.values()].flat().filter((s) => s.state === 'down');
    expect(down.length).toBeGreaterThan(0);
    const outages = await get<OutagesResponse>(
      `/checks/epr-login/outages?from=${new Date(upgrade.from).toISOString()}&to=${new Date(upgrade.to).toISOString()}`,
    );
    expect(outages.vantagePoints.flatMap((v) => v.outages)).toEqual([]);
  });

  it('says which time is simulated, and says nothing of time after it', async () => {
    const span = { from: new Date(report.span.from).toISOString(), to: new Date(NOW).toISOString() };
    expect((await get<EstateView & Simulation>('/estate')).simulated).toEqual(span);
    expect((await get<Simulation>('/checks/epr-login')).simulated).toEqual(span);
    const month = { from: new Date(NOVEMBER.from).toISOString(), to: new Date(NOVEMBER.to).toISOString() };
    const principles = await get<PrinciplesResponse>('/principles');
    for (const principle of principles.principles)
      expect(principle.simulated, principle.id).toEqual(principle.period);
    const scorecard = await get<OrganisationComplianceResponse>(
      '/organisations/riverside/compliance?period=2026-11',
    );
    for (const principle of scorecard.principles) expect(principle.simulated, principle.id).toEqual(month);
    const series = await get<Simulation>('/checks/epr-login/series?window=30d');
    expect(series.simulated?.to).toBe(span.to);
    const year = await get<Simulation>('/checks/epr-login/summary?window=365d');
    expect(year.simulated?.to).toBe(span.to);
    const after = await get<OutagesResponse>(
      `/checks/epr-login/outages?from=${new Date(NOW).toISOString()}&to=${new Date(NOW + 60 * MINUTE).toISOString()}`,
    );
    expect(after.simulated).toBeUndefined();
  });

  it('is carried straight on by the first live run, with no gap and no overlap', async () => {
    // The data centre's EPR check runs every 30 s; its first live run is where its plan puts it.
    const planned = plan.series.find((s) => s.series.check.id === 'epr-central');
    const firstLive = planned?.grid.first(NOW) as number;
    expect(firstLive).toBeGreaterThanOrEqual(NOW);
    expect(firstLive - NOW).toBeLessThan(30_000);
    const before = await store.results.timeline('epr-central', NOW - 10 * MINUTE, NOW + MINUTE);
    expect(before.get('server')?.at(-1)?.to).toBe(firstLive);
    await store.results.recordRuns([
      {
        checkId: 'epr-central',
        vantagePoint: 'server',
        startedAt: firstLive,
        state: 'fail',
        phases: null,
        error: { class: 'timeout', message: 'no answer in 10s' },
      },
    ]);
    const after =
      (await store.results.timeline('epr-central', NOW - 10 * MINUTE, NOW + MINUTE)).get('server') ?? [];
    const seam = after.findIndex((s) => s.from === firstLive);
    expect(after[seam]).toEqual({ from: firstLive, to: firstLive + 33_000, state: 'down' });
    expect(after[seam - 1]?.to).toBe(firstLive);
  });

  it('is not generated again by a second start', async () => {
    const count = () => store.db.prepare('SELECT count(*) FROM state_timeline').pluck().get() as number;
    const before = count();
    const second = await seedDemoHistory(store.demoHistory, estate, NOW + 3_600_000);
    expect(second.generated).toBe(false);
    expect(second.span.to).toBe(NOW);
    expect(count()).toBe(before);
  });
});

describe('a demo history stopped part way', () => {
  const estate = demoEstate();
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries on from the last month written at the next start, writing nothing twice', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vantage-history-'));
    const store = SqliteStores.open(join(dir, 'demo.db'));
    try {
      await store.estate.syncEstate(estate, NOW);
      const pending = await beginDemoHistory(store.demoHistory, NOW);
      if (!pending) throw new Error('a fresh database has no history');
      // Stopped once two months are written, as a server's stop would between two of them.
      const history = store.demoHistory;
      let months = 0;
      const counting = {
        history: () => history.history(),
        firstStored: (after: number) => history.firstStored(after),
        begin: (span: { from: number; to: number; seed: number }) => history.begin(span),
        finish: (at: number) => history.finish(at),
        writeChunk: async (chunk: HistoryChunk) => {
          await history.writeChunk(chunk);
          months += 1;
        },
      };
      const first = await writeDemoHistory(
        counting,
        estate,
        pending,
        () => NOW,
        () => months >= 2,
      );
      expect(first.finished).toBe(false);
      const marker = await store.demoHistory.history();
      // The newest two months: December so far, and November.
      expect(marker).toMatchObject({ generatedAt: null, doneFrom: NOVEMBER.from });
      // Until it is whole, answers over it say it is still being written.
      expect(await simulatedPart(store.demoHistory, NOVEMBER.from, NOW)).toEqual({
        simulated: {
          from: new Date(NOVEMBER.from).toISOString(),
          to: new Date(NOW).toISOString(),
          writing: true,
        },
      });
      const second = await seedDemoHistory(store.demoHistory, estate, NOW + MINUTE);
      expect(second.generated).toBe(true);
      expect(second.span.to).toBe(NOW);
      const plan = planHistory(estate, historySpan(NOW), 1);
      const rows = store.db.prepare('SELECT count(*) FROM state_timeline').pluck().get();
      expect(rows).toBe(plan.series.reduce((sum, s) => sum + s.stretches.length, 0));
      expect((await store.demoHistory.history())?.generatedAt).toBe(NOW + MINUTE);
      expect((await simulatedPart(store.demoHistory, NOVEMBER.from, NOW)).simulated?.writing).toBeUndefined();
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('a demo history for a database that already holds measured runs', () => {
  it('ends where the first measured run begins, and adds to its hour rather than replacing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vantage-history-'));
    const store = SqliteStores.open(join(dir, 'demo.db'));
    try {
      const estate = estateFrom(smallEstateYaml);
      await store.estate.syncEstate(estate, NOW);
      const first = Date.UTC(2026, 10, 20, 10, 23, 17);
      await store.results.recordRuns(
        [0, 1, 2].map((m) => ({
          checkId: 'epr-login',
          vantagePoint: 'st-annes',
          startedAt: first + m * MINUTE,
          state: 'ok' as const,
          phases: null,
        })),
      );
      const report = await seedDemoHistory(store.demoHistory, estate, NOW);
      expect(report.span.to).toBe(first);
      const timeline = await store.results.timeline('epr-login', first - 10 * MINUTE, first + 10 * MINUTE);
      const mine = timeline.get('st-annes') ?? [];
      // The simulated stretch stops at the first measured run; the measured one is as it was.
      expect(mine.at(-2)?.to).toBe(first);
      expect(mine.at(-1)).toEqual({ from: first, to: first + 2 * MINUTE + 66_000, state: 'up' });
      const hour = Math.floor(first / 3_600_000);
      const [row] = (await store.results.rollups('epr-login', 'hourly', hour, hour + 1)).filter(
        (r) => r.vantagePoint === 'st-annes',
      );
      // 10:00 to 10:23:17 simulated (23 or 24 runs, by the check's second), and the 3 measured.
      const simulated = planHistory(estate, historySpan(first), 1, true).series[0]?.grid.count(
        hour * 3_600_000,
        first,
      );
      expect((row?.row.ok ?? 0) + (row?.row.degraded ?? 0) + (row?.row.fail ?? 0)).toBe((simulated ?? 0) + 3);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
