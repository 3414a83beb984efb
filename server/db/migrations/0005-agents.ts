/**
 * Agents: the tokens that let a site's agent in (only a hash of each secret is kept) and what each
 * site's agent last said of itself. Tokens name their site by id, as the estate file does, so a token
 * can be made before the server has first read a new site.
 */
export const sql = `
CREATE TABLE agent_tokens (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_used_at INTEGER
) STRICT;

CREATE TABLE agents (
  site TEXT PRIMARY KEY,
  token_id TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  version TEXT NOT NULL,
  clock_offset_ms REAL NOT NULL,
  outbox_depth INTEGER NOT NULL,
  outbox_dropped INTEGER NOT NULL,
  outbox_oldest INTEGER
) STRICT;
`;
