import type { AgentBeat, TokenRow } from '../../store/agents.js';
import type { Db } from '../open.js';

interface TokenDbRow {
  id: string;
  site: string;
  secret_hash: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

interface AgentDbRow {
  site: string;
  token_id: string;
  last_seen: number;
  version: string;
  clock_offset_ms: number;
  outbox_depth: number;
  outbox_dropped: number;
  outbox_oldest: number | null;
}

const tokenOf = (row: TokenDbRow): TokenRow => ({
  id: row.id,
  site: row.site,
  secretHash: row.secret_hash,
  label: row.label,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

/** Agent tokens and agents' last heartbeats. */
export function agentsRepo(db: Db) {
  const insertToken = db.prepare(
    'INSERT INTO agent_tokens (id, site, secret_hash, label, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const token = db.prepare<[string], TokenDbRow>('SELECT * FROM agent_tokens WHERE id = ?');
  const tokens = db.prepare<[], TokenDbRow>('SELECT * FROM agent_tokens ORDER BY created_at, id');
  const revoke = db.prepare('UPDATE agent_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const used = db.prepare('UPDATE agent_tokens SET last_used_at = ? WHERE id = ?');
  const beat = db.prepare(`
    INSERT INTO agents (site, token_id, last_seen, version, clock_offset_ms, outbox_depth, outbox_dropped, outbox_oldest)
    VALUES (@site, @tokenId, @at, @version, @clockOffsetMs, @depth, @dropped, @oldestAt)
    ON CONFLICT (site) DO UPDATE SET token_id = excluded.token_id, last_seen = excluded.last_seen,
      version = excluded.version, clock_offset_ms = excluded.clock_offset_ms,
      outbox_depth = excluded.outbox_depth, outbox_dropped = excluded.outbox_dropped,
      outbox_oldest = excluded.outbox_oldest
    WHERE excluded.last_seen >= agents.last_seen`);
  const agents = db.prepare<[], AgentDbRow>('SELECT * FROM agents ORDER BY site');

  return {
    addToken(row: Omit<TokenRow, 'revokedAt' | 'lastUsedAt'>): void {
      insertToken.run(row.id, row.site, row.secretHash, row.label, row.createdAt);
    },
    token(id: string): TokenRow | undefined {
      const row = token.get(id);
      return row ? tokenOf(row) : undefined;
    },
    tokens(): TokenRow[] {
      return tokens.all().map(tokenOf);
    },
    /** False when there is no such token or it was already revoked. */
    revoke(id: string, at: number): boolean {
      return revoke.run(at, id).changes === 1;
    },
    used(id: string, at: number): void {
      used.run(at, id);
    },
    beat(b: AgentBeat): void {
      beat.run({
        site: b.site,
        tokenId: b.tokenId,
        at: b.at,
        version: b.version,
        clockOffsetMs: b.clockOffsetMs,
        depth: b.outbox.depth,
        dropped: b.outbox.dropped,
        oldestAt: b.outbox.oldestAt,
      });
    },
    agents(): AgentBeat[] {
      return agents.all().map((row) => ({
        site: row.site,
        tokenId: row.token_id,
        at: row.last_seen,
        version: row.version,
        clockOffsetMs: row.clock_offset_ms,
        outbox: { depth: row.outbox_depth, dropped: row.outbox_dropped, oldestAt: row.outbox_oldest },
      }));
    },
  };
}
