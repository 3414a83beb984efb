/**
 * Certificates seen: per London calendar month, check and vantage point, each certificate expiry
 * (`not_after`, the earliest of the leaf and the chain a run was sent) with the first and last run that
 * month that saw it (UTC ms). Raw results keep no details and are pruned; these rows are about one per
 * series a month and kept for ever. Periods are London months, quarters and years, or end now, and a
 * certificate is nearest expiry at its last run, so "the fewest days to expiry seen" is exact for any of
 * them. Keyed by month first: a period's rows for the whole estate are one range.
 */
export const sql = `
CREATE TABLE certificate_expiry (
  month INTEGER NOT NULL,
  check_key INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (month, check_key, vp, not_after)
) STRICT, WITHOUT ROWID;
`;
