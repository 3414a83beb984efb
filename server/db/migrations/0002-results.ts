/**
 * Results and their rollups. A vantage point is 0 for the central server, else the site's key.
 * Raw rows are kept small (no text unless the run failed) because there are millions of them.
 */
export const sql = `
CREATE TABLE results (
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
  PRIMARY KEY (check_key, vp, at)
) STRICT, WITHOUT ROWID;

CREATE TABLE latest_results (
  check_key INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  at INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (check_key, vp)
) STRICT, WITHOUT ROWID;

CREATE TABLE rollups_hourly (
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
  PRIMARY KEY (check_key, vp, bucket)
) STRICT, WITHOUT ROWID;

CREATE TABLE rollups_daily (
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
  PRIMARY KEY (check_key, vp, bucket)
) STRICT, WITHOUT ROWID;
`;
