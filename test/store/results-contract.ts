import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hourOf, londonDayOf } from '../../common/calendar.js';
import type { RunRecord } from '../../runs/record.js';
import { summariseSlices } from '../../server/results/summary.js';
import { PHASES } from '../../server/rollups/codec.js';
import { quantile } from '../../server/rollups/histogram.js';
import { addRun, emptyRollup, fromRow, mergeRollups, type RunState } from '../../server/rollups/rollup.js';
import type { Stores } from '../../server/store/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const t0 = Date.UTC(2026, 10, 2, 8, 0, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

/** A deterministic spread of runs: states, phases and two vantage points. */
function runs(count: number, start = t0, step = MINUTE): RunRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const state: RunState =
      i % 17 === 0 ? 'fail' : i % 7 === 0 ? 'degraded' : i % 29 === 0 ? 'skipped' : 'ok';
    const vantagePoint = i % 2 === 0 ? 'server' : 'st-annes';
    const ttfb = 40 + ((i * 37) % 300);
    return {
      checkId: 'epr-login',
      vantagePoint,
      startedAt: start + i * step,
      state,
      phases:
        state === 'skipped'
          ? null
          : {
              dnsMs: 1 + (i % 5),
              connectMs: 2 + (i % 3),
              tlsMs: 5,
              ttfbMs: ttfb,
              transferMs: 1.5,
              totalMs: ttfb + 9.5,
            },
      ...(state === 'fail'
        ? { error: { class: 'http_status' as const, message: 'status 503, expected 200' }, status: 503 }
        : {}),
      ...(state === 'ok' ? { status: 200 } : {}),
    };
  });
}

/** What every results store must do: runs stored once, the latest of each series, rollups, pruning. */
export function resultsContract(name: string, create: () => Promise<Stores>): void {
  describe(`Results store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await create();
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores runs once: a retried batch is ignored, unknown checks are counted', async () => {
      const batch = runs(10);
      expect(await store.results.recordRuns(batch)).toEqual({
        stored: 10,
        fresh: batch,
        duplicates: 0,
        unknown: 0,
      });
      expect(await store.results.recordRuns(batch)).toEqual({
        stored: 0,
        fresh: [],
        duplicates: 10,
        unknown: 0,
      });
      const later = runs(12).slice(10);
      expect((await store.results.recordRuns([...batch.slice(0, 2), ...later])).fresh).toEqual(later);
      const stranger = { ...batch[0], checkId: 'no-such-check' } as RunRecord;
      const elsewhere = { ...batch[0], vantagePoint: 'no-such-site' } as RunRecord;
      expect(await store.results.recordRuns([stranger, elsewhere])).toEqual({
        stored: 0,
        fresh: [],
        duplicates: 0,
        unknown: 2,
      });
    });

    it('stores runs of a check added after the first runs were stored, and lists them', async () => {
      await store.results.recordRuns(runs(2));
      const later = `${smallEstateYaml}  - id: epr-api
    system: epr
    type: tcp
    target: epr.example.org:443
    every: 1m
`;
      await store.estate.syncEstate(estateFrom(later), t0 + MINUTE);
      const added = runs(2, t0 + 5 * MINUTE).map((run) => ({ ...run, checkId: 'epr-api' }));
      expect((await store.results.recordRuns(added)).stored).toBe(2);
      expect(
        (await store.results.listResults('epr-api', { from: 0, to: t0 + DAY, limit: 10 })).items,
      ).toHaveLength(2);
      expect((await store.results.latestResultsAll()).get('epr-api')).toHaveLength(2);
    });

    it('lists runs newest first, by page and by vantage point, as they were recorded', async () => {
      const batch = runs(25);
      await store.results.recordRuns(batch);
      const first = await store.results.listResults('epr-login', {
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
        limit: 10,
      });
      expect(first.items.map((r) => r.startedAt)).toEqual(
        batch
          .slice(15)
          .reverse()
          .map((r) => r.startedAt),
      );
      expect(first.next).toBe(batch[15]?.startedAt);
      const second = await store.results.listResults('epr-login', {
        from: 0,
        to: first.next ?? 0,
        limit: 10,
      });
      expect(second.items[0]?.startedAt).toBe(batch[14]?.startedAt);
      const last = await store.results.listResults('epr-login', {
        from: 0,
        to: batch[5]?.startedAt ?? 0,
        limit: 10,
      });
      expect(last.items).toHaveLength(5);
      expect(last.next).toBeUndefined();

      const fail = batch[17] as RunRecord;
      const stored = first.items.find((r) => r.startedAt === fail.startedAt);
      expect(stored).toMatchObject({
        state: 'fail',
        status: 503,
        error: fail.error,
        vantagePoint: 'st-annes',
      });
      expect(stored?.phases?.ttfbMs).toBeCloseTo(fail.phases?.ttfbMs ?? 0, 3);

      const atSite = await store.results.listResults('epr-login', {
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
        limit: 100,
        vantagePoint: 'st-annes',
      });
      expect(atSite.items.every((r) => r.vantagePoint === 'st-annes')).toBe(true);
      expect(atSite.items).toHaveLength(12);
    });

    it('keeps the newest result of each vantage point whole', async () => {
      const batch = runs(6);
      const newest = {
        ...(batch[5] as RunRecord),
        details: {
          certificate: {
            subject: 'CN=epr',
            issuer: 'CN=ca',
            validFrom: '2026-01-01T00:00:00.000Z',
            validTo: '2027-01-01T00:00:00.000Z',
            daysToExpiry: 40,
          },
        },
      };
      await store.results.recordRuns([...batch.slice(0, 5), newest]);
      await store.results.recordRuns([batch[0] as RunRecord]); // an old result arriving late changes nothing
      const latest = await store.results.latestResults('epr-login');
      expect(latest.map((l) => l.vantagePoint)).toEqual(['server', 'st-annes']);
      expect(latest[1]?.result).toMatchObject({
        startedAt: new Date(newest.startedAt).toISOString(),
        details: newest.details,
      });
      expect(latest[0]?.result).toMatchObject({
        startedAt: new Date(batch[4]?.startedAt ?? 0).toISOString(),
      });
    });

    it('gives the newest result of every check in one answer, and finds one check by id', async () => {
      await store.results.recordRuns(runs(6));
      const all = await store.results.latestResultsAll();
      expect([...all.keys()]).toEqual(['epr-login']);
      expect(all.get('epr-login')).toEqual(await store.results.latestResults('epr-login'));
      expect((await store.estate.getCheck('epr-login'))?.definition).toMatchObject({
        id: 'epr-login',
        every: '1m',
      });
      expect(await store.estate.getCheck('no-such-check')).toBeUndefined();
      await store.estate.syncEstate(
        estateFrom(smallEstateYaml.slice(0, smallEstateYaml.indexOf('checks:'))),
        t0 + 1,
      );
      expect(await store.estate.getCheck('epr-login')).toBeUndefined(); // retired
      expect((await store.results.latestResultsAll()).size).toBe(0);
    });

    it('rolls up hours and days exactly as the raw runs add up, late results included', async () => {
      const batch = runs(300, t0, 37_000); // about three hours
      const onTime = batch.filter((_, i) => i % 10 !== 3);
      const late = batch.filter((_, i) => i % 10 === 3);
      for (let i = 0; i < onTime.length; i += 40) await store.results.recordRuns(onTime.slice(i, i + 40));
      await store.results.recordRuns(late);

      const hours = await store.results.rollups('epr-login', 'hourly', hourOf(t0), hourOf(t0) + 10);
      for (const { vantagePoint, bucket, row } of hours) {
        const rollup = fromRow(row);
        const expected = emptyRollup();
        for (const r of batch)
          if (r.vantagePoint === vantagePoint && hourOf(r.startedAt) === bucket)
            addRun(expected, r.state, r.phases);
        expect(rollup).toEqual({ ...expected, sumMs: expect.closeTo(expected.sumMs, 6) });
      }
      expect(hours.reduce((n, h) => n + h.row.ok + h.row.degraded + h.row.fail + h.row.skipped, 0)).toBe(300);

      const merged = emptyRollup();
      for (const h of hours) mergeRollups(merged, fromRow(h.row));
      const days = await store.results.rollups('epr-login', 'daily', londonDayOf(t0), londonDayOf(t0) + 1);
      const day = emptyRollup();
      for (const d of days) mergeRollups(day, fromRow(d.row));
      expect(day).toEqual({ ...merged, sumMs: expect.closeTo(merged.sumMs, 6) });

      const totals = batch.flatMap((r) => (r.phases ? [r.phases.totalMs] : [])).sort((a, b) => a - b);
      const exactP95 = totals[Math.ceil(0.95 * totals.length) - 1] ?? 0;
      const p95 = quantile(merged.phases.totalMs, 0.95) ?? 0;
      expect(Math.abs(p95 / exactP95 - 1)).toBeLessThan(0.095);
      for (const phase of PHASES) expect(merged.phases[phase].size).toBeGreaterThan(0);
    });

    it("gives a span of hours' histograms as the hourly rollups keep them, oldest first, within a week mask", async () => {
      await store.results.recordRuns(runs(40, t0, 20 * MINUTE));
      const from = hourOf(t0);
      const to = from + 14;
      const stored = (await store.results.rollups('epr-login', 'hourly', from, to)).map((slice) => ({
        vantagePoint: slice.vantagePoint,
        bucket: slice.bucket,
        phases: [...slice.row.phases],
      }));
      const read = async (mask?: string) =>
        (await store.results.hourlyPhases('epr-login', from, to, mask)).map((slice) => ({
          ...slice,
          phases: [...slice.phases],
        }));
      expect(stored.length).toBeGreaterThan(20);
      expect(new Set(stored.map((slice) => slice.phases.join())).size).toBeGreaterThan(1);
      expect(await read()).toEqual(stored);
      const mask = Array.from({ length: 168 }, (_, hour) => (hour % 3 === 0 ? '1' : '0')).join('');
      const inMask = stored.filter((slice) => (slice.bucket % 168) % 3 === 0);
      expect(inMask.length).toBeGreaterThan(0);
      expect(await read(mask)).toEqual(inMask);
      expect(await store.results.hourlyPhases('epr-login', to, to + 10)).toEqual([]);
      expect(await store.results.hourlyPhases('no-such-check', from, to)).toEqual([]);
    });

    it('keeps a span of days merged per vantage point, merged again when a late result lands in it', async () => {
      const batch = runs(120, t0, 2 * 3_600_000); // ten days
      const late = batch.filter((_, i) => i % 9 === 4);
      await store.results.recordRuns(batch.filter((_, i) => i % 9 !== 4));
      const firstDay = londonDayOf(t0);
      const endDay = firstDay + 8;
      const fromDays = async () =>
        summariseSlices(await store.results.rollups('epr-login', 'daily', firstDay, endDay)).vantagePoints;

      expect(await store.results.refreshSpans(firstDay, endDay, 10)).toBe(1);
      expect(await store.results.refreshSpans(firstDay, endDay, 10)).toBe(0);
      const span = await store.results.spanRollups('epr-login', firstDay, endDay);
      expect(span.map((slice) => [slice.vantagePoint, slice.bucket])).toEqual([
        ['server', firstDay],
        ['st-annes', firstDay],
      ]);
      expect(summariseSlices(span).vantagePoints).toEqual(await fromDays());

      await store.results.recordRuns(late);
      expect(await store.results.refreshSpans(firstDay, endDay, 10)).toBe(1);
      const again = summariseSlices(await store.results.spanRollups('epr-login', firstDay, endDay));
      expect(again.vantagePoints).toEqual(await fromDays());
      const inSpan = batch.filter((r) => londonDayOf(r.startedAt) < endDay).length;
      expect(again.overall.runs).toBe(inSpan);

      // A result after the span leaves it as it is; another span is merged when first read.
      await store.results.recordRuns(runs(1, t0 + 9 * 86_400_000 + 1_000));
      expect(await store.results.refreshSpans(firstDay, endDay, 10)).toBe(0);
      const shorter = summariseSlices(await store.results.spanRollups('epr-login', firstDay, firstDay + 1));
      expect(shorter.overall.runs).toBe(batch.filter((r) => londonDayOf(r.startedAt) === firstDay).length);
      expect(await store.results.spanRollups('no-such-check', firstDay, endDay)).toEqual([]);
    });

    it('finds the first kept run at a vantage point within a span of time, and no later', async () => {
      await store.results.recordRuns(runs(120, t0, 10 * MINUTE)); // server at even steps, st-annes at odd ones
      expect(await store.results.firstRunAt('epr-login', 'st-annes', t0, t0 + 3_600_000)).toBe(
        t0 + 10 * MINUTE,
      );
      expect(await store.results.firstRunAt('epr-login', 'server', t0 + 1, t0 + 3_600_000)).toBe(
        t0 + 20 * MINUTE,
      );
      // None in the span, though later runs are kept: a pruned bucket must not answer with them.
      await store.results.pruneBatch({ raw: t0 + 10 * 3_600_000, hourlyBucket: 0 }, 1000);
      expect(await store.results.firstRunAt('epr-login', 'server', t0, t0 + 3_600_000)).toBeUndefined();
      expect(await store.results.firstRunAt('epr-login', 'server', t0, t0 + 11 * 3_600_000)).toBe(
        t0 + 10 * 3_600_000,
      );
      expect(
        await store.results.firstRunAt('epr-login', 'marsh-lane', t0, t0 + 20 * 3_600_000),
      ).toBeUndefined();
      expect(
        await store.results.firstRunAt('no-such-check', 'server', t0, t0 + 20 * 3_600_000),
      ).toBeUndefined();
    });

    it('keeps the certificates runs were sent by month, any order, once, and past the pruning of raw runs', async () => {
      // Two certificates in turn at st-annes on 2 November 2026.
      const expiry = (at: number) =>
        at < t0 + 2 * 60 * MINUTE ? '2026-11-20T12:00:00.000Z' : '2027-02-01T00:00:00.000Z';
      const tls = Array.from({ length: 6 }, (_, i) => {
        const startedAt = t0 + i * 60 * MINUTE;
        return {
          ...(runs(1, startedAt)[0] as RunRecord),
          vantagePoint: 'st-annes',
          state: 'ok' as const,
          details: {
            certificate: {
              subject: 'CN=epr',
              issuer: 'CN=CA',
              validFrom: '2026-01-01T00:00:00.000Z',
              validTo: expiry(startedAt),
              // What the probe worked out when it ran; the store keeps the expiry itself.
              daysToExpiry: 0,
            },
          },
        };
      });
      // Newest first, then again: the record is the same, each run counted once.
      await store.results.recordRuns([...tls].reverse());
      await store.results.recordRuns(tls);
      // A run with no certificate and one with details that are not a time leave nothing.
      await store.results.recordRuns([
        { ...(runs(1, t0 + 7 * 60 * MINUTE)[0] as RunRecord), vantagePoint: 'st-annes' },
        {
          ...(runs(1, t0 + 8 * 60 * MINUTE)[0] as RunRecord),
          vantagePoint: 'st-annes',
          details: { certificate: { validTo: 'never' } } as never,
        },
      ]);
      const all = await store.results.certificates(t0 - DAY, t0 + DAY);
      expect([...all.keys()]).toEqual(['epr-login']);
      const seen = all.get('epr-login') as Map<string, unknown[]>;
      expect([...seen.keys()]).toEqual(['st-annes']);
      expect(seen.get('st-annes')).toEqual([
        { notAfter: Date.parse('2026-11-20T12:00:00.000Z'), firstAt: t0, lastAt: t0 + 60 * MINUTE },
        {
          notAfter: Date.parse('2027-02-01T00:00:00.000Z'),
          firstAt: t0 + 120 * MINUTE,
          lastAt: t0 + 300 * MINUTE,
        },
      ]);
      // Only rows with a run in the span asked.
      const rowsIn = async (from: number, to: number) =>
        (await store.results.certificates(from, to)).get('epr-login')?.get('st-annes')?.length ?? 0;
      expect(await rowsIn(t0 + 90 * MINUTE, t0 + DAY)).toBe(1);
      expect(await rowsIn(t0 + DAY, t0 + 2 * DAY)).toBe(0);
      // A run in December is a row of its own month.
      await store.results.recordRuns([{ ...(tls[5] as RunRecord), startedAt: Date.UTC(2026, 11, 1, 9) }]);
      expect(await rowsIn(t0 - DAY, Date.UTC(2026, 11, 2))).toBe(3);
      expect(await rowsIn(Date.UTC(2026, 11, 1), Date.UTC(2026, 11, 2))).toBe(1);
      await store.results.pruneBatch({ raw: Date.UTC(2026, 11, 3), hourlyBucket: hourOf(t0) }, 1_000);
      expect(await rowsIn(t0 - DAY, t0 + DAY)).toBe(2);
    });

    it('prunes raw runs and hourly rollups in batches, keeping the daily ones', async () => {
      await store.results.recordRuns(runs(120, t0, 10 * MINUTE)); // 20 hours
      const cutoff = t0 + 10 * 3_600_000;
      let rounds = 0;
      let deleted = { raw: 0, hourly: 0 };
      for (;;) {
        const batch = await store.results.pruneBatch({ raw: cutoff, hourlyBucket: hourOf(cutoff) }, 7);
        rounds += 1;
        if (batch.raw === 0 && batch.hourly === 0) break;
        expect(batch.raw).toBeLessThanOrEqual(7); // 7 per check
        deleted = { raw: deleted.raw + batch.raw, hourly: deleted.hourly + batch.hourly };
      }
      expect(rounds).toBeGreaterThan(2);
      expect(deleted.raw).toBe(60);
      const remaining = await store.results.listResults('epr-login', {
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
        limit: 1000,
      });
      expect(remaining.items.every((r) => r.startedAt >= cutoff)).toBe(true);
      expect(await store.results.rollups('epr-login', 'hourly', 0, hourOf(cutoff))).toEqual([]);
      const daily = await store.results.rollups('epr-login', 'daily', 0, Number.MAX_SAFE_INTEGER);
      expect(daily.reduce((n, d) => n + d.row.ok + d.row.degraded + d.row.fail + d.row.skipped, 0)).toBe(120);
    });
  });
}
