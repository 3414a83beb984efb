/**
 * Latency principles' kept rows hold their body as bytes (server/principles/kept-body.ts), which a year
 * of every check reads several times faster than JSON. The rows already kept stay as they are, JSON text
 * still read as such: months are kept for ever, and those older than the hourly rollups could not be
 * built again. The tables are rebuilt because a STRICT table's column type cannot change in place.
 */
export const sql = `
CREATE TABLE latency_months_new (
  objective TEXT NOT NULL,
  day INTEGER NOT NULL,
  check_key INTEGER NOT NULL,
  body ANY NOT NULL,
  PRIMARY KEY (objective, day, check_key)
) STRICT, WITHOUT ROWID;
INSERT INTO latency_months_new (objective, day, check_key, body)
  SELECT objective, day, check_key, body FROM latency_months;
DROP TABLE latency_months;
ALTER TABLE latency_months_new RENAME TO latency_months;
CREATE INDEX latency_months_by_day ON latency_months (check_key, day);
CREATE TABLE latency_days_new (
  objective TEXT NOT NULL,
  check_key INTEGER NOT NULL,
  day INTEGER NOT NULL,
  body ANY NOT NULL,
  PRIMARY KEY (objective, check_key, day)
) STRICT, WITHOUT ROWID;
INSERT INTO latency_days_new (objective, check_key, day, body)
  SELECT objective, check_key, day, body FROM latency_days;
DROP TABLE latency_days;
ALTER TABLE latency_days_new RENAME TO latency_days;
CREATE INDEX latency_days_by_day ON latency_days (check_key, day);
`;
