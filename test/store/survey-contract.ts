import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../server/store/stores.js';
import type { StoredResponse } from '../../surveys/counts.js';

const response = (site: string, staffGroup: string, score: number, extra: Partial<StoredResponse> = {}) =>
  ({
    campaign: 'usability-2026',
    day: '2026-11-02',
    organisation: 'riverside',
    site,
    staffGroup,
    answers: { epr: { sus1: 4 }, infra: { timeLost: 'none' } },
    comment: null,
    scores: [{ system: 'epr', instrument: 'sus', score }],
    ...extra,
  }) satisfies StoredResponse;

/** What every survey store must do: responses kept all or none, and counted per cell as they are. */
export function surveyContract(name: string, create: () => Promise<Stores>): void {
  describe(`Survey store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('counts responses, answers and scores per cell, and sums them per group', async () => {
      await store.survey.addResponses([
        response('st-annes', 'nursing', 50, { comment: 'slow at nights' }),
        response('st-annes', 'nursing', 70, { demo: true }),
        response('marsh-lane', 'admin', 80, { comment: 'fine' }),
      ]);
      expect(await store.survey.responseCount('usability-2026')).toBe(3);
      expect(await store.survey.demoCount('usability-2026')).toBe(1);
      expect(await store.survey.responseCount('other')).toBe(0);
      const byCell = <T extends { site: string }>(rows: T[]) =>
        [...rows].sort((a, b) => a.site.localeCompare(b.site));
      expect(byCell(await store.survey.cells('usability-2026'))).toEqual([
        { organisation: 'riverside', site: 'marsh-lane', staffGroup: 'admin', n: 1 },
        { organisation: 'riverside', site: 'st-annes', staffGroup: 'nursing', n: 2 },
      ]);
      expect(byCell(await store.survey.scoreCells('usability-2026'))).toEqual([
        {
          organisation: 'riverside',
          site: 'marsh-lane',
          staffGroup: 'admin',
          system: 'epr',
          instrument: 'sus',
          n: 1,
          sum: 80,
          squares: 6400,
        },
        {
          organisation: 'riverside',
          site: 'st-annes',
          staffGroup: 'nursing',
          system: 'epr',
          instrument: 'sus',
          n: 2,
          sum: 120,
          squares: 7400,
        },
      ]);
      expect(await store.survey.scoreSums('usability-2026', 'all')).toEqual([
        { key: '', system: 'epr', instrument: 'sus', n: 3, sum: 200, squares: 13_800 },
      ]);
      expect(
        byCell((await store.survey.scoreSums('usability-2026', 'site')).map((s) => ({ ...s, site: s.key }))),
      ).toMatchObject([
        { key: 'marsh-lane', n: 1, sum: 80 },
        { key: 'st-annes', n: 2, sum: 120 },
      ]);
      const answers = await store.survey.answerCounts('usability-2026');
      expect(
        answers.filter((a) => a.site === 'st-annes').sort((a, b) => a.item.localeCompare(b.item)),
      ).toEqual([
        {
          organisation: 'riverside',
          site: 'st-annes',
          staffGroup: 'nursing',
          item: 'epr/sus1',
          value: '4',
          n: 2,
        },
        {
          organisation: 'riverside',
          site: 'st-annes',
          staffGroup: 'nursing',
          item: 'timeLost',
          value: 'none',
          n: 2,
        },
      ]);
      expect(
        (await store.survey.itemCounts('usability-2026')).sort((a, b) => a.item.localeCompare(b.item)),
      ).toEqual([
        { item: 'epr/sus1', value: '4', n: 3 },
        { item: 'timeLost', value: 'none', n: 3 },
      ]);
      expect(await store.survey.comments('usability-2026')).toEqual([
        { site: 'marsh-lane', comment: 'fine' },
        { site: 'st-annes', comment: 'slow at nights' },
      ]);
    });

    it('keeps a batch of responses whole or not at all', async () => {
      const broken = { ...response('st-annes', 'nursing', 60), site: null } as unknown as StoredResponse;
      await expect(
        store.survey.addResponses([response('st-annes', 'nursing', 50), broken]),
      ).rejects.toThrow();
      expect(await store.survey.responseCount('usability-2026')).toBe(0);
      expect(await store.survey.cells('usability-2026')).toEqual([]);
    });
  });
}
