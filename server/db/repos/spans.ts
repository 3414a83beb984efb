import type { RollupRow } from '../../rollups/rollup.js';
import type { Db } from '../open.js';

/** One vantage point's merged rollup over a span, and the first day of the span it has runs on. */
export type SpanRow = RollupRow & { vp: number; firstDay: number };

/**
 * Materialised spans of daily rollups (see migration 4): per check, a mark naming the span of days
 * its rows cover, and one merged rollup row per vantage point.
 */
export function spansRepo(db: Db) {
  const mark = db.prepare<[number], { first_day: number; end_day: number }>(
    'SELECT first_day, end_day FROM rollup_spans WHERE check_key = ?',
  );
  const rows = db.prepare<[number, number, number], SpanRow>(
    `SELECT r.vp, r.first_day AS firstDay, r.ok, r.degraded, r.fail, r.skipped, r.min_ms, r.max_ms, r.sum_ms, r.phases
     FROM rollup_spans m JOIN rollups_span r ON r.check_key = m.check_key
     WHERE m.check_key = ? AND m.first_day = ? AND m.end_day = ? ORDER BY r.vp`,
  );
  const clear = db.prepare('DELETE FROM rollups_span WHERE check_key = ?');
  const putRow = db.prepare(`
    INSERT INTO rollups_span (check_key, vp, first_day, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
    VALUES (@checkKey, @vp, @firstDay, @ok, @degraded, @fail, @skipped, @min_ms, @max_ms, @sum_ms, @phases)`);
  const putMark = db.prepare(
    'INSERT OR REPLACE INTO rollup_spans (check_key, first_day, end_day) VALUES (?, ?, ?)',
  );
  const unmarkDay = db.prepare(
    'DELETE FROM rollup_spans WHERE check_key = ? AND first_day <= ? AND end_day > ?',
  );
  const lacking = db
    .prepare<[number, number, number], number>(
      `SELECT key FROM checks WHERE retired_at IS NULL AND key NOT IN
         (SELECT check_key FROM rollup_spans WHERE first_day = ? AND end_day = ?)
       ORDER BY key LIMIT ?`,
    )
    .pluck();

  return {
    /** The rows of a check when they cover exactly this span, else undefined. */
    read(checkKey: number, firstDay: number, endDay: number) {
      const found = rows.all(checkKey, firstDay, endDay);
      if (found.length > 0) return found;
      // No rows: a span with no runs in it, or no span kept for these days.
      const span = mark.get(checkKey);
      return span?.first_day === firstDay && span.end_day === endDay ? found : undefined;
    },
    /** Replaces a check's rows and marks them as covering the span. */
    write: db.transaction((checkKey: number, firstDay: number, endDay: number, merged: SpanRow[]) => {
      clear.run(checkKey);
      for (const row of merged) putRow.run({ checkKey, ...row });
      putMark.run(checkKey, firstDay, endDay);
    }),
    /** A result landed on this day: a span that covers it is out of date. */
    unmarkDay(checkKey: number, day: number): void {
      unmarkDay.run(checkKey, day, day);
    },
    /** Checks in service whose rows do not cover this span. */
    lacking(firstDay: number, endDay: number, limit: number): number[] {
      return lacking.all(firstDay, endDay, limit);
    },
  };
}
