/**
 * Daily rollups merged over a span of days (a year, for the year-wide summary), one row per
 * (check, vantage point), so a year of one check is read as one row per vantage point rather than
 * 365; each row keeps the first day of the span the vantage point has runs on, as it may be newer than
 * the span. `rollup_spans` says which span a check's rows cover; a late result inside the span deletes
 * that mark, and the rows are merged again from the daily rollups when next read or refreshed.
 */
export const sql = `
CREATE TABLE rollup_spans (
  check_key INTEGER PRIMARY KEY,
  first_day INTEGER NOT NULL,
  end_day INTEGER NOT NULL
) STRICT;

CREATE TABLE rollups_span (
  check_key INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  first_day INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  degraded INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  min_ms REAL,
  max_ms REAL,
  sum_ms REAL NOT NULL,
  phases BLOB NOT NULL,
  PRIMARY KEY (check_key, vp)
) STRICT, WITHOUT ROWID;
`;
