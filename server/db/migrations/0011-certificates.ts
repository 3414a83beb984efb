/**
 * Certificates seen: per check, London day and vantage point, each certificate expiry (`not_after`, the
 * earliest of the leaf and the chain a run was sent) with the first and last run that day that saw it
 * (UTC ms). Raw results keep no details and are pruned; these rows are a few per series a day and kept
 * for ever, so "the fewest days to expiry seen" is exact for any period.
 */
export const sql = `
CREATE TABLE certificate_expiry (
  check_key INTEGER NOT NULL,
  day INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (check_key, day, vp, not_after)
) STRICT, WITHOUT ROWID;
`;
