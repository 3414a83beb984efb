import { DAY_MS, londonDayOf } from '../../../common/calendar.js';
import type { Db } from '../open.js';

/** A certificate expiry seen at one vantage point in one London month: by which runs, first and last. */
export interface CertificateSeen {
  /** UTC ms: the earliest `validTo` of the leaf and the chain the runs were sent. */
  notAfter: number;
  firstAt: number;
  lastAt: number;
}

interface Row {
  check_key: number;
  vp: number;
  not_after: number;
  first_at: number;
  last_at: number;
}

/** The London calendar month of a London day key, as months since January of year 0. */
export function monthOfDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** The London calendar month of an instant. */
export const londonMonthOf = (ms: number): number => monthOfDay(londonDayOf(ms));

/** The certificates seen by runs, a row per (month, check, vantage point, expiry). */
export function certificatesRepo(db: Db) {
  // min and max make the row the same whatever order runs arrive in: a late batch lands as a fresh one.
  const upsert = db.prepare(`
    INSERT INTO certificate_expiry (month, check_key, vp, not_after, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (month, check_key, vp, not_after) DO UPDATE SET
      first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`);
  const range = db.prepare<[number, number, number, number], Row>(`
    SELECT check_key, vp, not_after, first_at, last_at FROM certificate_expiry
    WHERE month >= ? AND month <= ? AND last_at >= ? AND first_at < ?
    ORDER BY month, check_key, vp, not_after`);
  return {
    see: (month: number, check: number, vp: number, notAfter: number, at: number) =>
      void upsert.run(month, check, vp, notAfter, at, at),
    /** Every check's rows of the months that hold [from, to) with a run in it. */
    seen: (from: number, to: number) =>
      range.all(londonMonthOf(from), londonMonthOf(to), from, to).map((row) => ({
        check: row.check_key,
        vp: row.vp,
        notAfter: row.not_after,
        firstAt: row.first_at,
        lastAt: row.last_at,
      })),
  };
}
