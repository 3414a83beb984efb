/**
 * Frozen reports: each version of a month's, quarter's or year's report, its body kept as the exact
 * canonical JSON it was made as, so it is served byte for byte and its hash stays true. Never updated:
 * a reissue is a new row that names the one it replaces.
 */
export const sql = `
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('month', 'quarter', 'year')),
  period TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  replaces TEXT REFERENCES reports (id),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  demo INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (kind, period, version)
) STRICT;
`;
