import type { Db } from '../open.js';

/** The newest result of each (check, vantage point), whole, with its details (certificate, answers…). */
export function latestRepo(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO latest_results (check_key, vp, at, result) VALUES (?, ?, ?, ?)
    ON CONFLICT (check_key, vp) DO UPDATE SET at = excluded.at, result = excluded.result WHERE excluded.at > latest_results.at`);
  const forCheck = db.prepare<[number], { vp: number; result: string }>(
    'SELECT vp, result FROM latest_results WHERE check_key = ? ORDER BY vp',
  );
  const all = db.prepare<[], { check: string; vp: number; result: string }>(`
    SELECT c.id AS "check", l.vp, l.result FROM latest_results l JOIN checks c ON c.key = l.check_key
    WHERE c.retired_at IS NULL ORDER BY l.check_key, l.vp`);
  return {
    /** The newest result of every (check, vantage point) in the estate, in one query. */
    all: () =>
      all.all().map((row) => ({ check: row.check, vp: row.vp, result: JSON.parse(row.result) as unknown })),
    put: (checkKey: number, vp: number, at: number, result: unknown) =>
      upsert.run(checkKey, vp, at, JSON.stringify(result)),
    forCheck: (checkKey: number) =>
      forCheck.all(checkKey).map((row) => ({ vp: row.vp, result: JSON.parse(row.result) as unknown })),
  };
}
