import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, hourOf, londonDayOf } from '../../common/calendar.js';
import type { RunRecord } from '../../runs/record.js';
import { summariseSlices } from '../../server/results/summary.js';
import { londonDayStart, refreshYearSpans, windowSlices } from '../../server/results/window.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
let store: SqliteStores | undefined;
afterEach(async () => {
  await store?.close();
});

describe('summary windows', () => {
  it('finds London midnight in winter and in summer', () => {
    expect(new Date(londonDayStart(londonDayOf(Date.UTC(2026, 0, 15, 12)))).toISOString()).toBe(
      '2026-01-15T00:00:00.000Z',
    );
    expect(new Date(londonDayStart(londonDayOf(Date.UTC(2026, 6, 15, 12)))).toISOString()).toBe(
      '2026-07-14T23:00:00.000Z',
    );
  });

  it('reads whole days from daily rollups and the edges by the hour, with the same result as hour by hour', async () => {
    store = SqliteStores.open(join(tmp(), 'window.db'));
    // Ten days of runs every 20 minutes from two sites, across the change to winter time (25 October 2026).
    const now = Date.UTC(2026, 9, 30, 14, 37);
    await store.estate.syncEstate(estateFrom(smallEstateYaml), now - 40 * 86_400_000);
    const runs: RunRecord[] = [];
    for (let t = now - 40 * 86_400_000; t <= now; t += 20 * 60_000) {
      for (const vantagePoint of ['st-annes', 'marsh-lane']) {
        const slow = (t / 60_000) % 7 === 0;
        runs.push({
          checkId: 'epr-login',
          vantagePoint,
          startedAt: t,
          state: slow ? 'degraded' : 'ok',
          phases: {
            dnsMs: 1,
            connectMs: 2,
            tlsMs: 3,
            ttfbMs: slow ? 900 : 100,
            transferMs: 1,
            totalMs: slow ? 907 : 107,
          },
        });
      }
    }
    await store.results.recordRuns(runs);
    for (const window of ['7d', '30d'] as const) {
      const mixed = await windowSlices(store.results, 'epr-login', window, now);
      expect(mixed.source).toBe('hourly+daily');
      const hours = window === '7d' ? 168 : 720;
      const hourly = await store.results.rollups(
        'epr-login',
        'hourly',
        hourOf(now - hours * HOUR_MS) + 1,
        hourOf(now) + 1,
      );
      expect(mixed.slices.length).toBeLessThan(hourly.length / 4);
      expect(summariseSlices(mixed.slices)).toEqual(summariseSlices(hourly));
    }

    // A year: the kept merge of the days before today and today's own rollups, as all the days add up.
    const daily = await store.results.rollups('epr-login', 'daily', 0, londonDayOf(now) + 1);
    expect(await refreshYearSpans(store.results, now)).toBe(1);
    expect(await refreshYearSpans(store.results, now)).toBe(0);
    const year = await windowSlices(store.results, 'epr-login', '365d', now);
    expect(year.slices.length).toBe(4); // per site: the merge, and today
    expect(summariseSlices(year.slices)).toEqual(summariseSlices(daily));
    // The next day the merge is out of date; it is merged again, in the background or when read.
    expect(await refreshYearSpans(store.results, now + 86_400_000)).toBe(1);
  });
});
