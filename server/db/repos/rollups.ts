import { fromRow, type Rollup, type RollupRow, toRow } from '../../rollups/rollup.js';
import type { Db } from '../open.js';
import { cutBytes, numbers } from './end-to-end.js';

export type Resolution = 'hourly' | 'daily';

/** Hourly (bucket = hours since the epoch) and daily (bucket = London day) rollups per (check, vantage point). */
export function rollupsRepo(db: Db, resolution: Resolution) {
  const table = resolution === 'hourly' ? 'rollups_hourly' : 'rollups_daily';
  const get = db.prepare<[number, number, number], RollupRow>(
    `SELECT ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases FROM ${table} WHERE check_key = ? AND vp = ? AND bucket = ?`,
  );
  const put = db.prepare(`
    INSERT INTO ${table} (check_key, vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
    VALUES (@checkKey, @vp, @bucket, @ok, @degraded, @fail, @skipped, @min_ms, @max_ms, @sum_ms, @phases)
    ON CONFLICT (check_key, vp, bucket) DO UPDATE SET ok = excluded.ok, degraded = excluded.degraded,
      fail = excluded.fail, skipped = excluded.skipped, min_ms = excluded.min_ms, max_ms = excluded.max_ms,
      sum_ms = excluded.sum_ms, phases = excluded.phases`);
  // Positional: a bulk writer puts hundreds of thousands of rows, and binding by name costs a third more.
  const putPositional = db.prepare(`
    INSERT INTO ${table} (check_key, vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (check_key, vp, bucket) DO UPDATE SET ok = excluded.ok, degraded = excluded.degraded,
      fail = excluded.fail, skipped = excluded.skipped, min_ms = excluded.min_ms, max_ms = excluded.max_ms,
      sum_ms = excluded.sum_ms, phases = excluded.phases`);
  const range = db.prepare<[number, number, number], RollupRow & { vp: number; bucket: number }>(
    `SELECT vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases FROM ${table}
     WHERE check_key = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`,
  );
  // Only what a latency reading needs, and in one row read end to end: a year of a check is thousands of
  // rows. The week mask lets SQLite pass over the hours not wanted.
  const inOne = (where: string) =>
    db
      .prepare<unknown[], [string | null, string | null, string | null, Uint8Array | null]>(
        `SELECT group_concat(vp), group_concat(bucket), group_concat(length(phases)),
           CAST(group_concat(phases, '') AS BLOB)
         FROM (SELECT vp, bucket, phases FROM ${table} WHERE ${where} ORDER BY bucket, vp)`,
      )
      .raw(true);
  const phasesRange = inOne('check_key = ? AND bucket >= ? AND bucket < ?');
  const phasesInWeek = inOne(
    "check_key = ? AND bucket >= ? AND bucket < ? AND substr(?, bucket % 168 + 1, 1) = '1'",
  );
  const pruneCheck = db.prepare(
    `DELETE FROM ${table} WHERE (check_key, bucket, vp) IN
       (SELECT check_key, bucket, vp FROM ${table} WHERE check_key = ? AND bucket < ? LIMIT ?)`,
  );

  return {
    get(checkKey: number, vp: number, bucket: number): Rollup | undefined {
      const row = get.get(checkKey, vp, bucket);
      return row ? fromRow(row) : undefined;
    },
    put(checkKey: number, vp: number, bucket: number, rollup: Rollup): void {
      put.run({ checkKey, vp, bucket, ...toRow(rollup) });
    },
    /** As put, with the histograms already encoded (a bulk writer that builds rows directly). */
    putRow(checkKey: number, vp: number, bucket: number, row: RollupRow): void {
      putPositional.run(
        checkKey,
        vp,
        bucket,
        row.ok,
        row.degraded,
        row.fail,
        row.skipped,
        row.min_ms,
        row.max_ms,
        row.sum_ms,
        row.phases,
      );
    },
    /** The stored row, histograms still encoded. */
    getRow(checkKey: number, vp: number, bucket: number): RollupRow | undefined {
      return get.get(checkKey, vp, bucket);
    },
    /** Rollups of one check with from ≤ bucket < to, oldest first, histograms still encoded. */
    range(checkKey: number, from: number, to: number) {
      return range.all(checkKey, from, to);
    },
    /** [vp, bucket, phases] of one check with from ≤ bucket < to, oldest first, in the week mask's hours. */
    phasesRange(
      checkKey: number,
      from: number,
      to: number,
      weekMask?: string,
    ): [number, number, Uint8Array][] {
      const [vps, buckets, lengths, all] =
        (weekMask === undefined
          ? phasesRange.get(checkKey, from, to)
          : phasesInWeek.get(checkKey, from, to, weekMask)) ?? [];
      if (!vps || !buckets || !lengths || !all) return [];
      const vp = numbers(vps);
      const bucket = numbers(buckets);
      return cutBytes(numbers(lengths), all).map((phases, i) => [
        vp[i] as number,
        bucket[i] as number,
        phases,
      ]);
    },
    /** Deletes up to `limit` of a check's rollups before the bucket, the oldest first. */
    pruneBatch(checkKey: number, beforeBucket: number, limit: number): number {
      return pruneCheck.run(checkKey, beforeBucket, limit).changes;
    },
  };
}
