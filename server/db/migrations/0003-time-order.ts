/**
 * Results and rollups keyed by time before vantage point: (check, time, vantage point). Reading a
 * check over a range of time (the newest results at any vantage point, today's rollups, the hours at
 * the edges of a window) then walks just that range, instead of every row the check has at each
 * vantage point. Rows and their meaning are unchanged; the tables are rebuilt in the new order.
 */
const rollupColumns = `
  check_key INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  degraded INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  min_ms REAL,
  max_ms REAL,
  sum_ms REAL NOT NULL,
  phases BLOB NOT NULL,
  PRIMARY KEY (check_key, bucket, vp)`;

export const sql = `
CREATE TABLE results_by_time (
  check_key INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  at INTEGER NOT NULL,
  state INTEGER NOT NULL,
  total_us INTEGER,
  dns_us INTEGER,
  connect_us INTEGER,
  tls_us INTEGER,
  ttfb_us INTEGER,
  transfer_us INTEGER,
  status INTEGER,
  error_class TEXT,
  error_message TEXT,
  PRIMARY KEY (check_key, at, vp)
) STRICT, WITHOUT ROWID;
INSERT INTO results_by_time SELECT * FROM results;
DROP TABLE results;
ALTER TABLE results_by_time RENAME TO results;

CREATE TABLE rollups_hourly_by_time (${rollupColumns}) STRICT, WITHOUT ROWID;
INSERT INTO rollups_hourly_by_time SELECT * FROM rollups_hourly;
DROP TABLE rollups_hourly;
ALTER TABLE rollups_hourly_by_time RENAME TO rollups_hourly;

CREATE TABLE rollups_daily_by_time (${rollupColumns}) STRICT, WITHOUT ROWID;
INSERT INTO rollups_daily_by_time SELECT * FROM rollups_daily;
DROP TABLE rollups_daily;
ALTER TABLE rollups_daily_by_time RENAME TO rollups_daily;
`;
