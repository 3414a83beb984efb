/**
 * The state timeline: per (check, vantage point), each stretch of one state (0 up, 1 down) as one row,
 * from its start to its end (UTC ms, end exclusive). Time no row covers is unknown. Kept for ever: a
 * stretch is a few dozen bytes, and exact accounting for any hours and period reads only these rows.
 */
export const sql = `
CREATE TABLE state_timeline (
  check_key INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  state INTEGER NOT NULL,
  PRIMARY KEY (check_key, vp, from_ms)
) STRICT, WITHOUT ROWID;
`;
