import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredReport } from '../../server/store/reports.js';
import type { Stores } from '../../server/store/stores.js';

const t0 = Date.UTC(2026, 11, 1, 0, 16);
const report = (id: string, period: string, version: number, replaces: string | null): StoredReport => ({
  id,
  kind: period.length === 4 ? 'year' : period.includes('Q') ? 'quarter' : 'month',
  period,
  version,
  replaces,
  createdAt: t0 + version,
  createdBy: 'schedule',
  demo: false,
  hash: `sha256:${id}`,
  // Not JSON a store would write itself: a store keeps the text exactly as given.
  body: `{"id":"${id}",  "note":"é\\u00e9 \u2028"}`,
});

/** What every reports store must do: keep each version's text exactly, refuse a second of the same, list them. */
export function reportsContract(name: string, create: () => Promise<Stores>): void {
  describe(`Reports store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('returns a report exactly as stored, and nothing for an unknown id', async () => {
      expect(await store.reports.add(report('2026-11', '2026-11', 1, null))).toBe(true);
      expect(await store.reports.report('2026-11')).toEqual(report('2026-11', '2026-11', 1, null));
      expect(await store.reports.report('2026-10')).toBeUndefined();
    });

    it('refuses a second report with the same id or the same period and version, changing nothing', async () => {
      await store.reports.add(report('2026-11', '2026-11', 1, null));
      expect(await store.reports.add({ ...report('2026-11', '2026-11', 1, null), body: '{}' })).toBe(false);
      expect(await store.reports.add(report('other', '2026-11', 1, null))).toBe(false);
      expect((await store.reports.report('2026-11'))?.body).toBe(report('2026-11', '2026-11', 1, null).body);
    });

    it('lists every version without bodies, and finds the newest of a period', async () => {
      await store.reports.add(report('2026-10', '2026-10', 1, null));
      await store.reports.add(report('2026-11', '2026-11', 1, null));
      await store.reports.add(report('2026-11-v2', '2026-11', 2, '2026-11'));
      await store.reports.add(report('2026-Q3', '2026-Q3', 1, null));
      await store.reports.add(report('2025', '2025', 1, null));
      expect((await store.reports.list()).map((r) => r.id)).toEqual([
        '2026-Q3',
        '2026-11',
        '2026-11-v2',
        '2026-10',
        '2025',
      ]);
      const { body: _, ...row } = report('2026-11-v2', '2026-11', 2, '2026-11');
      expect(await store.reports.latest('month', '2026-11')).toEqual(row);
      expect(await store.reports.latest('month', '2026-09')).toBeUndefined();
    });
  });
}
