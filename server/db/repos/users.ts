import type { Role, SessionRow, UserRow, UserSource } from '../../store/access.js';
import type { Db } from '../open.js';

interface UserDbRow {
  id: string;
  email: string;
  name: string;
  role: string;
  organisations: string;
  source: string;
  password_hash: string | null;
  claims: string | null;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
}

interface SessionDbRow {
  id_hash: string;
  user_id: string;
  csrf: string;
  address: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

const userOf = (row: UserDbRow): UserRow => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role as Role,
  organisations: JSON.parse(row.organisations) as string[],
  source: row.source as UserSource,
  passwordHash: row.password_hash,
  claims: row.claims === null ? null : (JSON.parse(row.claims) as string[]),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastSignInAt: row.last_sign_in_at,
});

const sessionOf = (row: SessionDbRow): SessionRow => ({
  idHash: row.id_hash,
  userId: row.user_id,
  csrf: row.csrf,
  address: row.address,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

/** People who may sign in, and their sessions. */
export function usersRepo(db: Db) {
  const user = db.prepare<[string], UserDbRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserDbRow>('SELECT * FROM users WHERE email = ?');
  const all = db.prepare<[], UserDbRow>('SELECT * FROM users ORDER BY email');
  const upsert = db.prepare(`
    INSERT INTO users (id, email, name, role, organisations, source, password_hash, claims, created_at, updated_at, last_sign_in_at)
    VALUES (@id, @email, @name, @role, @organisations, @source, @passwordHash, @claims, @createdAt, @updatedAt, @lastSignInAt)
    ON CONFLICT (email) DO UPDATE SET name = excluded.name, role = excluded.role,
      organisations = excluded.organisations, source = excluded.source,
      password_hash = excluded.password_hash, claims = excluded.claims, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM users WHERE id = ?');
  const role = db.prepare('UPDATE users SET role = ?, organisations = ?, updated_at = ? WHERE id = ?');
  const signedIn = db.prepare('UPDATE users SET last_sign_in_at = ? WHERE id = ?');
  const addSession = db.prepare(`
    INSERT INTO sessions (id_hash, user_id, csrf, address, created_at, last_seen_at, expires_at)
    VALUES (@idHash, @userId, @csrf, @address, @createdAt, @lastSeenAt, @expiresAt)`);
  const session = db.prepare<[string], SessionDbRow>('SELECT * FROM sessions WHERE id_hash = ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?');
  const endSession = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const endSessions = db.prepare('DELETE FROM sessions WHERE user_id = ?');
  const prune = db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR expires_at <= ?');

  return {
    user: (id: string) => {
      const row = user.get(id);
      return row && userOf(row);
    },
    userByEmail: (email: string) => {
      const row = byEmail.get(email);
      return row && userOf(row);
    },
    users: () => all.all().map(userOf),
    put(row: UserRow): UserRow {
      upsert.run({
        ...row,
        organisations: JSON.stringify(row.organisations),
        claims: row.claims === null ? null : JSON.stringify(row.claims),
      });
      return userOf(byEmail.get(row.email) as UserDbRow);
    },
    remove: (id: string) => remove.run(id).changes > 0,
    changeRole: (id: string, newRole: Role, organisations: string[], at: number) =>
      role.run(newRole, JSON.stringify(organisations), at, id).changes > 0,
    signedIn: (id: string, at: number) => void signedIn.run(at, id),
    addSession: (row: SessionRow) => void addSession.run(row),
    session: (idHash: string) => {
      const row = session.get(idHash);
      return row && sessionOf(row);
    },
    touch: (idHash: string, at: number) => void touch.run(at, idHash),
    endSession: (idHash: string) => void endSession.run(idHash),
    endSessions: (userId: string) => endSessions.run(userId).changes,
    prune: (idleBefore: number, now: number) => prune.run(idleBefore, now).changes,
  };
}
