import type { Db } from '../db/open.js';
import { latestRepo } from '../db/repos/latest.js';
import { resultsRepo } from '../db/repos/results.js';
import { type Resolution, rollupsRepo } from '../db/repos/rollups.js';
import { type RunRecord, resultObject, SERVER_VANTAGE_POINT } from '../results/record.js';
import { addRun, emptyRollup, mergeRollups, type Rollup } from '../rollups/rollup.js';
import { hourOf, londonDayOf } from '../time.js';
import type { RecordReport, ResultPage, ResultsQuery, RollupSlice } from './store.js';

/** Results, latest results and rollups in SQLite: the part of SqliteStore that grows with time. */
export function sqliteResults(db: Db) {
  const results = resultsRepo(db);
  const latest = latestRepo(db);
  const rollups = { hourly: rollupsRepo(db, 'hourly'), daily: rollupsRepo(db, 'daily') };
  const checkKey = db.prepare<[string], number>('SELECT key FROM checks WHERE id = ?').pluck();
  const siteKey = db.prepare<[string], number>('SELECT key FROM sites WHERE id = ?').pluck();
  const siteId = db.prepare<[number], string>('SELECT id FROM sites WHERE key = ?').pluck();

  const vpKey = (vantagePoint: string) =>
    vantagePoint === SERVER_VANTAGE_POINT ? 0 : siteKey.get(vantagePoint);
  const vpId = (vp: number) => (vp === 0 ? SERVER_VANTAGE_POINT : (siteId.get(vp) ?? `site#${vp}`));

  const record = db.transaction((records: RunRecord[]): RecordReport => {
    const report: RecordReport = { stored: 0, duplicates: 0, unknown: 0 };
    const pending = { hourly: new Map<string, Rollup>(), daily: new Map<string, Rollup>() };
    for (const run of records) {
      const check = checkKey.get(run.checkId);
      const vp = vpKey(run.vantagePoint);
      if (check === undefined || vp === undefined) {
        report.unknown += 1;
        continue;
      }
      if (!results.insert(check, vp, run)) {
        report.duplicates += 1;
        continue;
      }
      report.stored += 1;
      if (run.state !== 'skipped') latest.put(check, vp, run.startedAt, resultObject(run));
      for (const [resolution, bucket] of [
        ['hourly', hourOf(run.startedAt)],
        ['daily', londonDayOf(run.startedAt)],
      ] as const) {
        const key = `${check}:${vp}:${bucket}`;
        const rollup = pending[resolution].get(key) ?? emptyRollup();
        pending[resolution].set(key, addRun(rollup, run.state, run.phases));
      }
    }
    // One read-merge-write per touched bucket, so a late result updates the hour and day it belongs to.
    for (const resolution of ['hourly', 'daily'] as const) {
      for (const [key, added] of pending[resolution]) {
        const [check, vp, bucket] = key.split(':').map(Number) as [number, number, number];
        const stored = rollups[resolution].get(check, vp, bucket);
        rollups[resolution].put(check, vp, bucket, stored ? mergeRollups(stored, added) : added);
      }
    }
    return report;
  });

  return {
    record,
    latest(checkId: string) {
      const check = checkKey.get(checkId);
      return check === undefined
        ? []
        : latest.forCheck(check).map((row) => ({ vantagePoint: vpId(row.vp), result: row.result }));
    },
    latestAll() {
      const byCheck = new Map<string, { vantagePoint: string; result: unknown }[]>();
      for (const row of latest.all()) {
        const list = byCheck.get(row.check) ?? [];
        list.push({ vantagePoint: vpId(row.vp), result: row.result });
        byCheck.set(row.check, list);
      }
      return byCheck;
    },
    list(checkId: string, query: ResultsQuery): ResultPage {
      const check = checkKey.get(checkId);
      if (check === undefined) return { items: [] };
      const vp = query.vantagePoint === undefined ? undefined : vpKey(query.vantagePoint);
      if (query.vantagePoint !== undefined && vp === undefined) return { items: [] };
      const rows = results.list({
        checkKey: check,
        ...(vp === undefined ? {} : { vp }),
        from: query.from,
        to: query.to,
        limit: query.limit + 1,
      });
      const page = rows
        .slice(0, query.limit)
        .map((row) => ({ ...row.record, checkId, vantagePoint: vpId(row.vp) }));
      const last = page.at(-1);
      return rows.length > query.limit && last ? { items: page, next: last.startedAt } : { items: page };
    },
    rollups(checkId: string, resolution: Resolution, from: number, to: number): RollupSlice[] {
      const check = checkKey.get(checkId);
      if (check === undefined) return [];
      const names = new Map<number, string>();
      return rollups[resolution].range(check, from, to).map(({ vp, bucket, ...row }) => {
        let vantagePoint = names.get(vp);
        if (vantagePoint === undefined) {
          vantagePoint = vpId(vp);
          names.set(vp, vantagePoint);
        }
        return { vantagePoint, bucket, row };
      });
    },
    prune: db.transaction((before: { raw: number; hourlyBucket: number }, limit: number) => ({
      raw: results.pruneBatch(before.raw, limit),
      hourly: rollups.hourly.pruneBatch(before.hourlyBucket, limit),
    })),
  };
}
