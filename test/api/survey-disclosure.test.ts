import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import type { StoredResponse } from '../../surveys/counts.js';
import type { Cell } from '../../surveys/disclosure.js';
import { WITHHELD_REASONS } from '../../surveys/privacy.js';
import { checkResponse } from '../../surveys/response.js';
import { asAdmin } from '../helpers/as-admin.js';
import { estateFrom } from '../helpers/estates.js';
import { susFor } from '../helpers/survey.js';
import { useTmpDir } from '../helpers/tmp.js';
import { smallestDerivableDifference } from '../surveys/attacker.js';

const tmp = useTmpDir();

const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: bow-yard, name: Bow Yard Practice, kind: gp-practice }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: royal, name: Royal Riverside, host: riverside }
  - { id: annex, name: Riverside Annex, host: riverside }
  - { id: bow-yard-surgery, name: Bow Yard Surgery, host: bow-yard }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: quay-clinic, name: Quay Clinic, host: eastfield }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
surveys:
  - { id: usability-2025, title: IT usability survey 2025, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
  - { id: usability-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, systems: { epr: sus } }
`;

interface Distribution {
  n: number;
  counts: Record<string, number | null>;
  withheld: string[];
}

interface Group {
  key: string;
  n: number | null;
  withheld: boolean;
  reason?: string;
  distributions: Record<string, Distribution>;
  scores: Record<string, unknown>;
}

describe('survey results: privacy across breakdowns, distributions and comments', () => {
  let store: SqliteStores;
  let estate: Estate;
  let app: RequestListener;
  let cells: Cell[];
  const now = Date.UTC(2026, 10, 24, 12);

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'results.db'));
    estate = estateFrom(estateYaml);
    await store.estate.syncEstate(estate, now);
    const survey = estate.surveys.find((s) => s.id === 'usability-2025');
    if (!survey) throw new Error('no survey');
    const responses: StoredResponse[] = [];
    cells = [];
    const add = (
      count: number,
      organisation: string,
      site: string,
      staffGroup: string,
      answer: (k: number) => { sus: number; infra?: Record<string, string | number>; comments?: string },
    ) => {
      cells.push({ organisation, site, staffGroup, n: count });
      for (let k = 0; k < count; k++) {
        const { sus, infra, comments } = answer(k);
        const checked = checkResponse(
          {
            organisation,
            site,
            staffGroup,
            answers: { epr: susFor(sus), ...(infra ? { infra } : {}) },
            comments,
          },
          survey,
          estate,
          '2025-11-03',
        );
        if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
        responses.push(checked.response);
      }
    };
    // The practice's 15 at its surgery, where one trust nurse also answered.
    add(15, 'bow-yard', 'bow-yard-surgery', 'admin', (k) => ({
      sus: 70,
      ...(k === 0 ? { comments: 'More printers at reception.' } : {}),
    }));
    add(1, 'riverside', 'bow-yard-surgery', 'nursing', () => ({
      sus: 20,
      comments: 'Only I would say this.',
    }));
    add(40, 'riverside', 'royal', 'nursing', (k) => ({
      sus: k % 2 ? 80 : 90,
      infra: { 'infra.timeToRecord': k < 30 ? '10-30s' : 'dont-know' },
      ...(k < 2 ? { comments: `Faster log-in at Royal, please (${k + 1}).` } : {}),
    }));
    add(20, 'riverside', 'royal', 'medical', () => ({ sus: 60, infra: { 'infra.timeToRecord': '30-60s' } }));
    add(30, 'riverside', 'annex', 'admin', (k) => ({ sus: k % 3 ? 70 : 90 }));
    // Marsh Lane: 3 say IT problems are not fixed promptly, 22 that they are.
    add(25, 'eastfield', 'marsh-lane', 'nursing', (k) => ({
      sus: 60,
      infra: { 'infra.fixedPromptly': k < 3 ? 1 : 5 },
    }));
    add(4, 'eastfield', 'quay-clinic', 'medical', () => ({ sus: 50, comments: 'Quay Clinic Wi-Fi drops.' }));
    await store.survey.addResponses(responses);
    app = await asAdmin(
      createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate }),
      store,
    );
  });
  afterEach(async () => {
    await store.close();
  });

  const get = async (path: string) => {
    const response = await request(app).get(`/api/v1/surveys/${path}`);
    return response;
  };
  const byKey = (items: Group[]) => Object.fromEntries(items.map((item) => [item.key, item]));

  it('compares breakdowns of the same people, so a visitor at the practice’s surgery cannot be worked out', async () => {
    const shown = async (by: string) =>
      new Set(
        ((await get(`usability-2025/results?by=${by}`)).body.items as Group[])
          .filter((item) => !item.withheld)
          .map((item) => item.key),
      );
    const release = {
      organisation: await shown('organisation'),
      site: await shown('site'),
      staffGroup: await shown('staffGroup'),
    };
    // No two sets a reader can derive from the three breakdowns and the total differ by 1 to 10.
    const found = smallestDerivableDifference(cells, release);
    expect(found?.difference).toBeGreaterThanOrEqual(11);
    // Surgery (16) − practice (15) would be the visiting nurse: the surgery goes, with a site across.
    const sites = byKey((await get('usability-2025/results?by=site')).body.items);
    expect(sites['bow-yard-surgery']).toMatchObject({ withheld: true, reason: WITHHELD_REASONS.linked });
    expect(sites['quay-clinic']).toMatchObject({ withheld: true, reason: WITHHELD_REASONS.tooFew });
    expect(sites.royal).toMatchObject({ n: 60, withheld: false });
  });

  it('gives the same campaign figures whichever breakdown is asked for', async () => {
    const overall = await Promise.all(
      ['organisation', 'site', 'staffGroup', 'system'].map(
        async (by) => (await get(`usability-2025/results?by=${by}`)).body.overall,
      ),
    );
    for (const other of overall.slice(1)) expect(other).toEqual(overall[0]);
  });

  it('gives each item’s answers overall and per shown group, banded items too, withholding small counts', async () => {
    const { overall, items } = (await get('usability-2025/results?by=staffGroup')).body;
    expect(overall.distributions['infra.timeToRecord']).toEqual({
      n: 60,
      counts: {
        'under-10s': 0,
        '10-30s': 30,
        '30-60s': 20,
        '1-2min': 0,
        '2-5min': 0,
        'over-5min': 0,
        'dont-know': 10,
      },
      withheld: [],
    });
    // Nursing's 66: 46 strongly disagree and 20 strongly agree, neither small, so both are shown.
    expect(byKey(items).nursing?.distributions['epr/sus9']).toEqual({
      n: 66,
      counts: { '1': 46, '2': 0, '3': 0, '4': 0, '5': 20 },
      withheld: [],
    });
    // Riverside's nurse at the practice's surgery is its only one to agree with sus6: that count is
    // withheld with the next smallest, so the other 90's count cannot give it back.
    const riverside = byKey((await get('usability-2025/results?by=organisation')).body.items).riverside;
    expect(riverside?.distributions['epr/sus6']).toEqual({
      n: 91,
      counts: { '1': null, '2': 0, '3': 0, '4': 0, '5': null },
      withheld: ['1', '5'],
    });
    // Marsh Lane's 3 who disagree are withheld with the 22 who agree; a net score and its interval
    // would give both back, so it is withheld too.
    expect(overall.distributions['infra.fixedPromptly']).toMatchObject({
      n: 25,
      withheld: ['1', '5'],
      counts: { '1': null, '2': 0, '3': 0, '4': 0, '5': null },
    });
    expect(overall.infra['infra.fixedPromptly']).toEqual({
      n: null,
      withheld: true,
      reason: WITHHELD_REASONS.smallAnswers,
    });
  });

  it('lists comments only under sites whose results are shown, in order of their text', async () => {
    const response = await get('usability-2025/comments');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      campaign: 'usability-2025',
      title: 'IT usability survey 2025',
      minGroupSize: 11,
      items: [
        {
          key: 'royal',
          n: 60,
          comments: ['Faster log-in at Royal, please (1).', 'Faster log-in at Royal, please (2).'],
        },
      ],
      // Bow Yard Surgery's (withheld so its visiting nurse cannot be worked out) and Quay Clinic's (4).
      withheld: 2,
    });
    expect(JSON.stringify(response.body)).not.toMatch(/Only I|Quay|printers/);
    expect((await get('usability-2026/comments')).status).toBe(403);
    expect((await get('usability-1999/comments')).status).toBe(404);
    expect((await get('usability-2025/comments?by=organisation')).status).toBe(400);
  });

  it('gives no figure for people who all gave the same answer, and no interval of zero width', async () => {
    const organisations = byKey((await get('usability-2025/results?by=organisation')).body.items);
    // Bow Yard's 15 all scored 70: a mean of 70 in [70, 70] would tell each one's score.
    expect(organisations['bow-yard']).toMatchObject({ n: 15, withheld: false });
    expect(organisations['bow-yard']?.scores).toEqual({
      epr: { instrument: 'sus', n: null, withheld: true, reason: WITHHELD_REASONS.sameAnswer },
    });
    // Everyone answered 5 to sus1: its distribution, overall and in every group, is withheld.
    const { overall, items } = (await get('usability-2025/results?by=staffGroup')).body;
    expect(overall.distributions['epr/sus1']).toEqual({
      n: null,
      withheld: true,
      reason: WITHHELD_REASONS.sameAnswer,
    });
    const shownGroups = (items as Group[]).filter((item) => !item.withheld);
    expect(shownGroups.map((item) => item.key)).toEqual(['admin', 'medical', 'nursing']);
    for (const item of shownGroups) {
      expect(item.distributions['epr/sus1'], item.key).toMatchObject({ withheld: true });
    }
    const intervals: string[][] = [];
    for (const by of ['organisation', 'site', 'staffGroup', 'system']) {
      const body = JSON.stringify((await get(`usability-2025/results?by=${by}`)).body);
      for (const [, lo, hi] of body.matchAll(/"ci95":\[([\d.]+),([\d.]+)\]/g))
        intervals.push([lo ?? '', hi ?? '']);
    }
    // Intervals are shown (for the groups whose scores differ), and none has zero width.
    expect(intervals.length).toBeGreaterThan(0);
    for (const [lo, hi] of intervals) expect(lo).not.toBe(hi);
  });
});
