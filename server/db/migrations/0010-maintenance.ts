/**
 * Ad hoc maintenance windows: work that was not planned a file edit ahead, added through the API or
 * `vantage maintenance add`. Times are UTC ms (end exclusive); `scope` is the same JSON shape as an
 * estate file window's. Ending a window early lowers `end_ms` and says when and by whom, so the
 * accounting of any period reads the time it really covered. Kept for ever: figures for past periods
 * depend on them.
 */
export const sql = `
CREATE TABLE maintenance_windows (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  scope TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  ended_at INTEGER,
  ended_by TEXT,
  CHECK (end_ms >= start_ms)
) STRICT;
CREATE INDEX maintenance_windows_end ON maintenance_windows (end_ms);
`;
