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

-- Series stored before the timeline existed, and how far each has been worked through: the server
-- fills their timeline in the background, a day of runs at a time, oldest first.
CREATE TABLE timeline_backfill (
  check_key INTEGER NOT NULL,
  vp INTEGER NOT NULL,
  next_from INTEGER NOT NULL,
  PRIMARY KEY (check_key, vp)
) STRICT, WITHOUT ROWID;
INSERT INTO timeline_backfill (check_key, vp, next_from)
  SELECT check_key, vp, MIN(at) FROM results GROUP BY check_key, vp;
`;
