/**
 * Latency principles' kept summaries: per objective (percentile, target, hours and the core hours they
 * were counted in), check and closed London day or month, each vantage point's hours judged against the
 * target as stretches and its total-time histogram weighted by the share of each hour counted. Built in
 * the background from the hourly rollups and read instead of them, so a year of a check is about twelve
 * rows, not 8,760 hours per vantage point. A result that lands on a kept day removes that day's and its
 * month's rows, which are then built again. Months and days in tables of their own: a period's months
 * are read for the whole estate in one pass, side by side, without passing over days or other months (a
 * month sits on its first day).
 */
export const sql = `
CREATE TABLE latency_months (
  objective TEXT NOT NULL,
  day INTEGER NOT NULL,
  check_key INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (objective, day, check_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX latency_months_by_day ON latency_months (check_key, day);
CREATE TABLE latency_days (
  objective TEXT NOT NULL,
  check_key INTEGER NOT NULL,
  day INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (objective, check_key, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX latency_days_by_day ON latency_days (check_key, day);
`;
