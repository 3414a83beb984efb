import type { Db } from '../open.js';

/** The span of simulated history in this database, and how far its writing got. */
export interface HistoryRow {
  from: number;
  to: number;
  seed: number;
  /** Everything from this instant to the end is written (the newest months are written first). */
  doneFrom: number;
  /** When the last of it was written; null while it is still being written. */
  generatedAt: number | null;
}

interface Row {
  from_ms: number;
  to_ms: number;
  seed: number;
  done_from: number;
  generated_at: number | null;
}

/** The demo history's one marker row (migration 12). */
export function demoHistoryRepo(db: Db) {
  const get = db.prepare<[], Row>('SELECT from_ms, to_ms, seed, done_from, generated_at FROM demo_history');
  const begin = db.prepare(
    'INSERT INTO demo_history (id, from_ms, to_ms, seed, done_from) VALUES (1, ?, ?, ?, ?)',
  );
  const progress = db.prepare('UPDATE demo_history SET done_from = ? WHERE id = 1');
  const finish = db.prepare('UPDATE demo_history SET generated_at = ?, done_from = from_ms WHERE id = 1');
  // The first instant at or after a time that anything is stored from: a raw run or a stretch to the
  // millisecond, else (raw runs pruned, no timeline yet) the hour of the first hourly rollup.
  const firstStored = db
    .prepare<[number, number, number], number | null>(`SELECT COALESCE(
      (SELECT MIN(at) FROM (
        SELECT MIN(at) AS at FROM results WHERE at >= ?
        UNION ALL SELECT MIN(from_ms) FROM state_timeline WHERE from_ms >= ?)),
      (SELECT MIN(bucket) * 3600000 FROM rollups_hourly WHERE bucket >= ?))`)
    .pluck();
  return {
    get(): HistoryRow | undefined {
      const row = get.get();
      return row
        ? {
            from: row.from_ms,
            to: row.to_ms,
            seed: row.seed,
            doneFrom: row.done_from,
            generatedAt: row.generated_at,
          }
        : undefined;
    },
    begin: (span: { from: number; to: number; seed: number }) =>
      void begin.run(span.from, span.to, span.seed, span.to),
    progress: (doneFrom: number) => void progress.run(doneFrom),
    finish: (at: number) => void finish.run(at),
    firstStored: (after: number): number | undefined =>
      firstStored.get(after, after, Math.ceil(after / 3_600_000)) ?? undefined,
  };
}
