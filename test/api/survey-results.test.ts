import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { WITHHELD_REASONS } from '../../surveys/privacy.js';
import { checkResponse } from '../../surveys/response.js';
import { asAdmin } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { susFor } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const estateYaml = smallEstateYaml
  .replace(
    'sites:\n',
    'sites:\n  - { id: wharf-road, name: Wharf Road, host: riverside }\n  - { id: tiny-clinic, name: Tiny Clinic, host: riverside }\n',
  )
  .concat(`surveys:
  - { id: usability-2023, title: IT usability survey 2023, opens: 2023-10-01, closes: 2023-12-31, systems: { epr: sus } }
  - { id: usability-2024, title: IT usability survey 2024, opens: 2024-10-01, closes: 2024-12-31, systems: { epr: sus } }
  - { id: usability-2025, title: IT usability survey 2025, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
  - { id: usability-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, systems: { epr: sus } }
`);

describe('survey results API', () => {
  let store: SqliteStores;
  let estate: Estate;
  let app: RequestListener;
  const now = Date.UTC(2026, 10, 24, 12);

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'results.db'));
    estate = estateFrom(estateYaml);
    await store.estate.syncEstate(estate, now);
    const survey = estate.surveys.find((s) => s.id === 'usability-2025');
    const lastYear = estate.surveys.find((s) => s.id === 'usability-2024');
    if (!survey || !lastYear) throw new Error('no survey');
    const responses = [];
    const sites = { 'st-annes': 30, 'wharf-road': 25, 'tiny-clinic': 4, 'marsh-lane': 20 } as const;
    let i = 0;
    for (const [site, count] of Object.entries(sites)) {
      for (let k = 0; k < count; k++, i++) {
        const checked = checkResponse(
          {
            organisation: site === 'marsh-lane' ? 'eastfield' : 'riverside',
            site,
            staffGroup: i % 10 === 9 ? 'admin' : i % 4 === 0 ? 'medical' : 'nursing',
            answers: {
              epr: { ...susFor(k % 2 === 0 ? 70 : 90), 'infra.available': k % 5 === 0 ? 2 : 4 },
              infra: { 'infra.fixedPromptly': k % 3 === 0 ? 1 : 5 },
            },
          },
          survey,
          estate,
          '2025-11-03',
        );
        if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
        responses.push(checked.response);
      }
    }
    await store.survey.addResponses(responses);
    // The year before: 20 responses at SUS 50 and 60.
    const before = [];
    for (let k = 0; k < 20; k++) {
      const checked = checkResponse(
        {
          organisation: 'riverside',
          site: 'st-annes',
          staffGroup: 'nursing',
          answers: { epr: susFor(k % 2 ? 50 : 60) },
        },
        lastYear,
        estate,
        '2024-11-04',
      );
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      before.push(checked.response);
    }
    await store.survey.addResponses(before);
    // Two years before: 12 responses, every one scoring 50.
    const alike = estate.surveys.find((s) => s.id === 'usability-2023');
    if (!alike) throw new Error('no survey');
    const same = [];
    for (let k = 0; k < 12; k++) {
      const answers = { epr: susFor(50) };
      const checked = checkResponse(
        { organisation: 'riverside', site: 'st-annes', staffGroup: 'nursing', answers },
        alike,
        estate,
        '2023-11-06',
      );
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      same.push(checked.response);
    }
    await store.survey.addResponses(same);
    app = await asAdmin(
      createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate }),
      store,
    );
  });
  afterEach(async () => {
    await store.close();
  });

  const results = (by: string, campaign = 'usability-2025') =>
    request(app).get(`/api/v1/surveys/${campaign}/results?by=${by}`);

  it('gives SUS means with 95% intervals and grades, and net scores, overall', async () => {
    const response = await results('organisation');
    expect(response.status).toBe(200);
    const { overall } = response.body;
    expect(overall.n).toBe(79);
    expect(overall.demo).toBe(0);
    expect(overall.scores.epr).toMatchObject({ instrument: 'sus', n: 79, grade: 'A-' }); // 40 at 70, 39 at 90
    expect(overall.scores.epr.mean).toBe(79.9);
    const [lo, hi] = overall.scores.epr.ci95;
    expect(lo).toBeLessThan(79.9);
    expect(hi).toBeGreaterThan(79.9);
    expect(hi - lo).toBeGreaterThan(4); // sd 10, n 79: ±2.2
    expect(overall.infra['epr/infra.available'].n).toBe(79);
    expect(overall.infra['infra.fixedPromptly'].net).toBeLessThan(overall.infra['epr/infra.available'].net);
    // Answers 2 and 4 only: the other options are zeros, shown; nothing small to withhold.
    expect(overall.distributions['epr/infra.available']).toEqual({
      n: 79,
      counts: { '1': 0, '2': 16, '3': 0, '4': 63, '5': 0 },
      withheld: [],
    });
  });

  it('withholds a small site and, so it cannot be worked out from its organisation, the smallest sibling', async () => {
    const { items } = (await results('site')).body;
    const bySite = Object.fromEntries(items.map((item: { key: string }) => [item.key, item]));
    expect(bySite['tiny-clinic']).toMatchObject({
      n: null,
      withheld: true,
      reason: 'fewer responses than the minimum group size',
      scores: {},
    });
    expect(bySite['wharf-road']).toMatchObject({
      n: null,
      withheld: true,
      reason: 'withheld so that a smaller group cannot be worked out from the totals',
    });
    expect(bySite['st-annes']).toMatchObject({ n: 30, withheld: false });
    expect(bySite['st-annes'].scores.epr.n).toBe(30);
    expect(bySite['marsh-lane']).toMatchObject({ n: 20, withheld: false });
    expect(JSON.stringify(items)).not.toMatch(/"n":4\b|"n":25\b/);
  });

  it('breaks down by staff group and by system, withholding small groups', async () => {
    const staff = (await results('staffGroup')).body.items as {
      key: string;
      withheld: boolean;
      n: number | null;
    }[];
    expect(staff.map((g) => [g.key, g.withheld])).toEqual([
      ['admin', true],
      ['medical', true],
      ['nursing', false],
    ]);
    const systems = (await results('system')).body.items;
    expect(systems).toEqual([
      expect.objectContaining({
        key: 'epr',
        n: 79,
        withheld: false,
        scores: { epr: expect.objectContaining({ grade: 'A-' }) },
      }),
    ]);
  });

  it('publishes an on-close campaign only once it has closed, and says when', async () => {
    const open = await results('site', 'usability-2026');
    expect(open.status).toBe(403);
    expect(open.body.error.message).toBe(
      'results of IT usability survey 2026 are published when it closes, at the end of 31 December 2026',
    );
    expect((await results('site', 'usability-1999')).status).toBe(404);
    expect((await results('colour')).status).toBe(400);
  });

  it('compares two campaigns system by system and item by item, calling a change only when the interval excludes zero', async () => {
    const response = await request(app).get('/api/v1/surveys/usability-2025/compare?with=usability-2024');
    expect(response.status).toBe(200);
    const [epr] = response.body.systems;
    expect(epr).toMatchObject({ system: 'epr', instrument: 'sus', withheld: false });
    expect(epr.score).toMatchObject({
      before: { n: 20, mean: 55 },
      after: { n: 79, mean: 79.9 },
      changed: true,
    });
    expect(epr.score.difference).toBe(24.9);
    expect(epr.score.ci95[0]).toBeGreaterThan(0);
    expect(epr.items).toHaveLength(10);
    // Every one of both years' raters answered 5 to sus1: its means would tell each one's answer.
    expect(epr.items[0]).toEqual({ item: 'sus1', withheld: true, reason: WITHHELD_REASONS.sameAnswer });
    // A year whose raters all gave one score: the system is withheld, as that year's results say.
    const alike = await request(app).get('/api/v1/surveys/usability-2025/compare?with=usability-2023');
    expect(alike.body.systems).toEqual([
      { system: 'epr', instrument: 'sus', withheld: true, reason: WITHHELD_REASONS.sameAnswer },
    ]);
    expect(JSON.stringify(alike.body)).not.toMatch(/"mean":50\b/);
    // A campaign against itself: no difference, and no change claimed.
    const same = await request(app).get('/api/v1/surveys/usability-2025/compare?with=usability-2025');
    expect(same.body.systems[0].score).toMatchObject({ difference: 0, changed: false });
    expect(
      (await request(app).get('/api/v1/surveys/usability-2026/compare?with=usability-2025')).status,
    ).toBe(403);
    expect((await request(app).get('/api/v1/surveys/usability-2025/compare')).status).toBe(400);
  });
});
