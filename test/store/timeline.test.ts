import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stretchesOf } from '../../principles/timeline.js';
import type { RunRecord } from '../../runs/record.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const t0 = Date.UTC(2026, 10, 2, 8, 0, 0);
const MINUTE = 60_000;
/** A minute's interval and a tenth more for a late start. */
const HOLD = 66_000;

const run = (minute: number, state: RunRecord['state'], vantagePoint = 'st-annes'): RunRecord => ({
  checkId: 'epr-login',
  vantagePoint,
  startedAt: t0 + minute * MINUTE,
  state,
  phases:
    state === 'skipped' ? null : { dnsMs: 1, connectMs: 1, tlsMs: 1, ttfbMs: 10, transferMs: 1, totalMs: 14 },
});
const at = (minute: number, extra = 0) => t0 + minute * MINUTE + extra;

describe('the state timeline', () => {
  let store: SqliteStores;
  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'timeline.db'));
    await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
  });
  afterEach(async () => {
    await store.close();
  });
  const timeline = async (vantagePoint = 'st-annes') =>
    (await store.results.timeline('epr-login', 0, Number.MAX_SAFE_INTEGER)).get(vantagePoint) ?? [];

  it('keeps one row per stretch of one state; silence is left out as unknown, skipped runs change nothing', async () => {
    const minutes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14];
    await store.results.recordRuns(
      minutes.map((m) => run(m, m >= 5 && m < 8 ? 'fail' : m === 13 ? 'skipped' : 'ok')),
    );
    expect(await timeline()).toEqual([
      { from: at(0), to: at(5), state: 'up' },
      { from: at(5), to: at(8), state: 'down' },
      // Minute 9 holds 66 s; then silence until minute 14 (13 was skipped).
      { from: at(8), to: at(10, 6_000), state: 'up' },
      { from: at(14), to: at(15, 6_000), state: 'up' },
    ]);
  });

  it('reads a period as every stretch overlapping it, for one check or the whole estate in one pass', async () => {
    // Up 0–5, down 5–8, up 8–10:06 at St Anne's; up 0–3:06 at Marsh Lane.
    await store.results.recordRuns([
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((m) => run(m, m >= 5 && m < 8 ? 'fail' : 'ok')),
      ...[0, 1, 2].map((m) => run(m, 'ok', 'marsh-lane')),
    ]);
    const all = await store.results.timeline('epr-login', 0, Number.MAX_SAFE_INTEGER);
    for (const [from, to] of [
      [at(6), at(7)],
      [at(5), at(8)],
      [at(4, 30_000), at(9)],
      [at(10, 6_000), at(20)],
      [at(-5), at(0)],
      [at(3), at(3, 6_000)],
    ] as const) {
      const expected = new Map(
        [...all]
          .map(([vp, list]) => [vp, list.filter((s) => s.from < to && s.to > from)] as const)
          .filter(([, list]) => list.length > 0),
      );
      expect(await store.results.timeline('epr-login', from, to)).toEqual(expected);
      const seen: [string, Map<string, unknown>][] = [];
      await store.results.timelines(from, to, (checkId, byVp) => seen.push([checkId, byVp]));
      expect(seen).toEqual(expected.size > 0 ? [['epr-login', expected]] : []);
    }
  });

  it('comes out the same when runs arrive late, in any batches and any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(120), fc.constantFrom('ok', 'degraded', 'fail', 'skipped')), {
          maxLength: 80,
        }),
        fc.array(fc.nat(5), { minLength: 80, maxLength: 80 }),
        async (picked, batchOf) => {
          const file = join(tmp(), `late-${Math.random().toString(36).slice(2)}.db`);
          const fresh = SqliteStores.open(file);
          try {
            await fresh.estate.syncEstate(estateFrom(smallEstateYaml), t0);
            const byMinute = new Map(picked.map(([m, state]) => [m, state as RunRecord['state']]));
            const runs = [...byMinute].map(([m, state]) => run(m, state));
            const batches: RunRecord[][] = [[], [], [], [], [], []];
            runs.forEach((r, i) => {
              batches[batchOf[i] ?? 0]?.push(r);
            });
            for (const batch of batches) await fresh.results.recordRuns(batch);
            const expected = stretchesOf(
              runs
                .filter((r) => r.state !== 'skipped')
                .map((r) => ({ at: r.startedAt, state: r.state === 'fail' ? 'down' : 'up' })),
              HOLD,
            );
            const got =
              (await fresh.results.timeline('epr-login', 0, Number.MAX_SAFE_INTEGER)).get('st-annes') ?? [];
            expect(got).toEqual(expected);
          } finally {
            await fresh.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps each vantage point apart, and answers only what overlaps the period asked for', async () => {
    await store.results.recordRuns([
      run(0, 'ok'),
      run(1, 'fail'),
      run(0, 'fail', 'marsh-lane'),
      run(30, 'ok'),
    ]);
    const all = await store.results.timeline('epr-login', at(2), at(31));
    expect(all.get('st-annes')).toEqual([
      { from: at(1), to: at(2, 6_000), state: 'down' },
      { from: at(30), to: at(31, 6_000), state: 'up' },
    ]);
    expect(all.get('marsh-lane')).toBeUndefined();
    expect((await store.results.timeline('epr-login', at(0), at(1))).get('marsh-lane')).toEqual([
      { from: at(0), to: at(1, 6_000), state: 'down' },
    ]);
  });
});

describe('the state timeline of results stored before it existed', () => {
  it('is filled in a day at a time to what the writer would have made', async () => {
    const file = join(tmp(), 'older.db');
    const store = SqliteStores.open(file);
    try {
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
      // Three days of runs every 10 minutes at two sites, with failures and a silent hour.
      const runs: RunRecord[] = [];
      for (let m = 0; m < 3 * 1440; m += 10) {
        if (m >= 1500 && m < 1560) continue;
        runs.push(run(m, m % 170 === 0 ? 'fail' : 'ok'), run(m, m % 230 === 0 ? 'fail' : 'ok', 'marsh-lane'));
      }
      await store.results.recordRuns(runs);
      const written = await store.results.timeline('epr-login', 0, Number.MAX_SAFE_INTEGER);
      // As an earlier version left it: the runs, no stretches, and the series waiting (as migration 9 does).
      store.db.exec(`DELETE FROM state_timeline;
        INSERT INTO timeline_backfill (check_key, vp, next_from) SELECT check_key, vp, MIN(at) FROM results GROUP BY check_key, vp;`);
      expect((await store.results.timeline('epr-login', 0, Number.MAX_SAFE_INTEGER)).size).toBe(0);
      let steps = 0;
      while (await store.results.backfillTimeline(1)) steps += 1;
      // A day per series per step: three days at two sites.
      expect(steps).toBeGreaterThanOrEqual(5);
      expect(await store.results.timeline('epr-login', 0, Number.MAX_SAFE_INTEGER)).toEqual(written);
    } finally {
      await store.close();
    }
  });
});
