/**
 * Latency principles' kept months side by side per check, as kept days are: a principle's checks are
 * read a system's at a time (so two threads can share them), and a check's months in one place are read
 * in one seek, where months stored month by month cost a seek each, several times slower for a year.
 * The (check_key, day) index stays for forgetting a check's month when a late result lands in it.
 */
export const sql = `
CREATE TABLE latency_months_new (
  objective TEXT NOT NULL,
  check_key INTEGER NOT NULL,
  day INTEGER NOT NULL,
  body ANY NOT NULL,
  PRIMARY KEY (objective, check_key, day)
) STRICT, WITHOUT ROWID;
INSERT INTO latency_months_new (objective, check_key, day, body)
  SELECT objective, check_key, day, body FROM latency_months ORDER BY objective, check_key, day;
DROP TABLE latency_months;
ALTER TABLE latency_months_new RENAME TO latency_months;
CREATE INDEX latency_months_by_day ON latency_months (check_key, day);
`;
