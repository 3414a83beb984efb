import type { Db } from '../open.js';

/** A certificate expiry seen at one vantage point on one London day: by which runs, first and last. */
export interface CertificateSeen {
  /** UTC ms: the earliest `validTo` of the leaf and the chain the runs were sent. */
  notAfter: number;
  firstAt: number;
  lastAt: number;
}

interface Row {
  vp: number;
  not_after: number;
  first_at: number;
  last_at: number;
}

/** The certificates seen by each check's runs, a row per (day, vantage point, expiry). */
export function certificatesRepo(db: Db) {
  // min and max make the row the same whatever order runs arrive in: a late batch lands as a fresh one.
  const upsert = db.prepare(`
    INSERT INTO certificate_expiry (check_key, day, vp, not_after, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (check_key, day, vp, not_after) DO UPDATE SET
      first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`);
  const range = db.prepare<[number, number, number, number, number], Row>(`
    SELECT vp, not_after, first_at, last_at FROM certificate_expiry
    WHERE check_key = ? AND day >= ? AND day <= ? AND last_at >= ? AND first_at < ?
    ORDER BY vp, first_at`);
  return {
    see: (check: number, day: number, vp: number, notAfter: number, at: number) =>
      void upsert.run(check, day, vp, notAfter, at, at),
    /** Rows of days firstDay … lastDay with a run in [from, to), by vantage point then time. */
    seen: (check: number, firstDay: number, lastDay: number, from: number, to: number) =>
      range.all(check, firstDay, lastDay, from, to).map((row) => ({
        vp: row.vp,
        notAfter: row.not_after,
        firstAt: row.first_at,
        lastAt: row.last_at,
      })),
  };
}
