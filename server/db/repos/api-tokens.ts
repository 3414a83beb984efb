import type { ApiTokenRow, Role } from '../../store/access.js';
import type { Db } from '../open.js';

interface ApiTokenDbRow {
  id: string;
  role: string;
  organisations: string;
  label: string | null;
  secret_hash: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

const tokenOf = (row: ApiTokenDbRow): ApiTokenRow => ({
  id: row.id,
  role: row.role as Role,
  organisations: JSON.parse(row.organisations) as string[],
  label: row.label,
  secretHash: row.secret_hash,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

/** API tokens for scripts and scrapers; only a hash of each secret. */
export function apiTokensRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO api_tokens (id, role, organisations, label, secret_hash, created_by, created_at)
    VALUES (@id, @role, @organisations, @label, @secretHash, @createdBy, @createdAt)`);
  const token = db.prepare<[string], ApiTokenDbRow>('SELECT * FROM api_tokens WHERE id = ?');
  const tokens = db.prepare<[], ApiTokenDbRow>('SELECT * FROM api_tokens ORDER BY created_at, id');
  const revoke = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const used = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  return {
    add: (row: Omit<ApiTokenRow, 'revokedAt' | 'lastUsedAt'>) =>
      void insert.run({ ...row, organisations: JSON.stringify(row.organisations) }),
    token: (id: string) => {
      const row = token.get(id);
      return row && tokenOf(row);
    },
    tokens: () => tokens.all().map(tokenOf),
    revoke: (id: string, at: number) => revoke.run(at, id).changes > 0,
    used: (id: string, at: number) => void used.run(at, id),
  };
}
