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
  - { id: o1, name: Organisation 1, kind: acute }
  - { id: o2, name: Organisation 2, kind: community }
  - { id: o3, name: Organisation 3, kind: gp-practice }
sites:
  - { id: s1, name: Site 1, host: o1 }
  - { id: s2, name: Site 2, host: o2 }
  - { id: s3, name: Site 3, host: o3 }
systems:
  - { id: epr, name: EPR, owner: o1 }
surveys:
  - { id: linked, title: Linked groups, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
  - { id: alike, title: Groups that agree, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
`;

interface Group {
  key: string;
  n: number | null;
  withheld: boolean;
  scores: Record<string, { n: number | null; mean?: number; ci95?: [number, number]; reason?: string }>;
}

describe('survey results: sets a reader can derive from one release', () => {
  let store: SqliteStores;
  let estate: Estate;
  let app: RequestListener;
  const cells: Record<string, Cell[]> = { linked: [], alike: [] };

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'linked.db'));
    estate = estateFrom(estateYaml);
    const now = Date.UTC(2026, 1, 2, 12);
    await store.estate.syncEstate(estate, now);
    const responses: StoredResponse[] = [];
    const add = (campaign: string, scores: number[], organisation: string, site: string) => {
      const survey = estate.surveys.find((s) => s.id === campaign);
      if (!survey) throw new Error('no survey');
      cells[campaign]?.push({ organisation, site, staffGroup: 'nursing', n: scores.length });
      for (const score of scores) {
        const answers = { epr: susFor(score) };
        const checked = checkResponse(
          { organisation, site, staffGroup: 'nursing', answers },
          survey,
          estate,
          '2025-11-03',
        );
        if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
        responses.push(checked.response);
      }
    };
    const varied = (count: number) => Array.from({ length: count }, (_, k) => 50 + (k % 4) * 10);
    for (const campaign of Object.keys(cells)) cells[campaign] = [];
    // 12 from o1 at s1, 12 from o2 at s2, 2 from o2 working at s3, 15 from o3 at s3.
    add('linked', varied(12), 'o1', 's1');
    add('linked', varied(12), 'o2', 's2');
    add('linked', [10, 20], 'o2', 's3');
    add('linked', varied(15), 'o3', 's3');
    // o1's 12 all scored 50.
    add('alike', Array(12).fill(50), 'o1', 's1');
    add('alike', varied(15), 'o2', 's2');
    add('alike', varied(16), 'o3', 's3');
    await store.survey.addResponses(responses);
    app = await asAdmin(
      createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate }),
      store,
    );
  });
  afterEach(async () => {
    await store.close();
  });

  const results = async (campaign: string, by: string) =>
    (await request(app).get(`/api/v1/surveys/${campaign}/results?by=${by}`)).body as {
      overall: { n: number; scores: Record<string, { n: number | null; mean?: number }> };
      items: Group[];
    };
  const shownKeys = (items: Group[]) => new Set(items.filter((g) => !g.withheld).map((g) => g.key));

  it('lets no two derivable sets differ by a few people, as o2 (14) − (41 − s1 − s3) would', async () => {
    const [organisations, sites, staff] = await Promise.all(
      ['organisation', 'site', 'staffGroup'].map((by) => results('linked', by)),
    );
    const release = {
      organisation: shownKeys(organisations?.items ?? []),
      site: shownKeys(sites?.items ?? []),
      staffGroup: shownKeys(staff?.items ?? []),
    };
    const found = smallestDerivableDifference(cells.linked ?? [], release);
    expect(found?.difference ?? 11, found?.between).toBeGreaterThanOrEqual(11);
    // The attack of the example: with o2, s1 and s3 shown, o2 − (total − s1 − s3) is 2 people.
    expect([...release.organisation].includes('o2') && release.site.has('s1') && release.site.has('s3')).toBe(
      false,
    );
    // o1 at s1 stands apart from the rest: it is still shown in both.
    expect(release.organisation.has('o1') && release.site.has('s1')).toBe(true);
  });

  it('withholds the score of a group who all gave the same one, and the group that would give it away', async () => {
    const { overall, items } = await results('alike', 'organisation');
    const byKey = Object.fromEntries(items.map((g) => [g.key, g]));
    // A mean of 50 in [50, 50] would tell each of o1's 12 their score.
    expect(byKey.o1).toMatchObject({ n: 12, withheld: false });
    expect(byKey.o1?.scores.epr).toMatchObject({ n: null, reason: WITHHELD_REASONS.sameAnswer });
    // With the overall score shown, o1's would be overall − o2 − o3: one of those goes too.
    expect(overall.scores.epr?.n).toBe(43);
    const shownScores = items.filter((g) => g.scores.epr?.n !== null && g.scores.epr?.n !== undefined);
    expect(shownScores).toHaveLength(1);
    expect(JSON.stringify(items)).not.toMatch(/"ci95":\[50,50\]/);
  });
});
