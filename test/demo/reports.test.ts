import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import type { ComplianceResponse } from '../../server/api/types.js';
import { loadEstateFile } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';
import { DemoHistorySubsystem } from '../../server/demo/history/subsystem.js';
import { lastMonthAndYear, makeDemoReports } from '../../server/demo/reports.js';
import { seedDemoSurveys } from '../../server/demo/survey.js';
import { buildReport } from '../../server/reports/build.js';
import type { Report } from '../../server/reports/types.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { type AdminServer, adminServer } from '../helpers/admin-server.js';
import { demoFile } from '../helpers/estates.js';
import { until } from '../helpers/until.js';

/** The demo's first start on Thursday 3 December 2026: its history reaches back to 3 November 2025. */
const NOW = Date.UTC(2026, 11, 3, 14, 0);

function demoEstate(): Estate {
  const loaded = loadEstateFile(demoFile, { VANTAGE_DEMO_TARGETS: '127.0.0.1:9' });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return loaded.estate;
}

describe("the demo's reports: last month's and last year's, from its history, marked as demo data", () => {
  const estate = demoEstate();
  let dir: string;
  let store: SqliteStores;
  let server: AdminServer;

  const start = async () => {
    const history = new DemoHistorySubsystem({
      store: store.demoHistory,
      clock: { now: () => NOW },
      logger: silentLogger,
      afterWritten: async (first) => {
        await makeDemoReports(
          first,
          { results: store.results, maintenance: store.maintenance, survey: store.survey },
          store.reports,
          NOW,
        );
      },
    });
    history.apply(estate);
    await history.start();
    // The history is written in the background: wait until it is whole and the reports after it are made.
    await until(
      async () =>
        (await store.demoHistory.history())?.generatedAt != null && (await store.reports.list()).length >= 2,
      (done) => done,
      120_000,
    );
    await history.stop();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vantage-demo-reports-'));
    store = SqliteStores.open(join(dir, 'demo.db'));
    await store.estate.syncEstate(estate, NOW);
    // As the demo's first start does: its survey responses, then its history and reports.
    await seedDemoSurveys(store.survey, estate, NOW);
    await start();
    server = await adminServer(store, estate, NOW);
  }, 180_000);

  afterAll(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are made once the history is written, and not again on the next start', async () => {
    const listed = (await store.reports.list()).map((r) => [r.id, r.kind, r.createdBy, r.demo]);
    expect(listed).toEqual([
      ['2026-11', 'month', 'demo', true],
      ['2025', 'year', 'demo', true],
    ]);
    await start();
    expect((await store.reports.list()).length).toBe(2);
    expect(lastMonthAndYear(Date.UTC(2027, 0, 1, 0, 30))).toEqual([
      { kind: 'month', period: '2026-12' },
      { kind: 'year', period: '2026' },
    ]);
  });

  it("hold the same figures as the principles' API for the month, and say they are demo data", async () => {
    const report = (await server.get<Report>('/api/v1/reports/2026-11')).body;
    expect(report).toMatchObject({ demo: true, createdBy: 'demo', createdAt: '2026-12-03T14:00:00.000Z' });
    expect(report.content.principles.length).toBe(estate.principles.length);
    for (const principle of report.content.principles) {
      const { body } = await server.get<ComplianceResponse>(
        `/api/v1/principles/${principle.id}/compliance?period=2026-11`,
      );
      expect([principle.id, principle.status, principle.value]).toEqual([
        principle.id,
        body.status,
        body.value,
      ]);
    }
    expect(report.content.outagesTotal).toBeGreaterThan(0);
    const year = (await server.get<Report>('/api/v1/reports/2025')).body;
    // The history begins on 3 November 2025: the rest of that year was silent.
    const silent = year.content.coverage.map((c) => c.share);
    expect(Math.min(...silent)).toBeGreaterThan(80);
    expect(year.content.survey?.campaign).toBe('usability-2025');
    expect(year.content.survey?.previousCampaign).toBeNull();
  });

  it("sets a year's survey against the year before's, each score as the survey's results show it", async () => {
    const newYear = Date.UTC(2027, 0, 1, 0, 10);
    const { text } = await buildReport(
      estate,
      { results: store.results, maintenance: store.maintenance, survey: store.survey },
      { kind: 'year', period: '2026', now: newYear, createdBy: 'test' },
    );
    const survey = (JSON.parse(text) as Report).content.survey;
    expect([survey?.campaign, survey?.previousCampaign]).toEqual(['usability-2026', 'usability-2025']);
    const then = await adminServer(store, estate, newYear);
    try {
      type Shown = { items: { key: string; withheld: boolean; scores: Record<string, { mean?: number }> }[] };
      const shown = async (id: string) =>
        (await then.get<Shown>(`/api/v1/surveys/${id}/results?by=system`)).body;
      const [now, before] = [await shown('usability-2026'), await shown('usability-2025')];
      const mean = (view: Shown, system: string) => {
        const group = view.items.find((g) => g.key === system);
        return group && !group.withheld ? (group.scores[system]?.mean ?? null) : null;
      };
      expect(survey?.systems.length).toBe(
        Object.keys(estate.surveys.find((s) => s.id === 'usability-2026')?.systems ?? {}).length,
      );
      for (const system of survey?.systems ?? []) {
        expect([system.system, system.score, system.previous, system.withheld]).toEqual([
          system.system,
          mean(now, system.system),
          mean(before, system.system),
          // Withheld by the privacy rules, as against rated by nobody (no group at all).
          now.items.find((g) => g.key === system.system)?.withheld === true,
        ]);
      }
      expect(survey?.systems.find((s) => s.system === 'epr')?.target).toBe(68);
      // Some systems rated in both years: the comparison is of real figures.
      expect(survey?.systems.filter((s) => s.score !== null && s.previous !== null).length).toBeGreaterThan(
        0,
      );
    } finally {
      await then.close();
    }
  });
});
