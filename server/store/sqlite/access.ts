import type { Db } from '../../db/open.js';
import { apiTokensRepo } from '../../db/repos/api-tokens.js';
import { auditRepo, notesRepo } from '../../db/repos/audit.js';
import { usersRepo } from '../../db/repos/users.js';
import type {
  AccessStore,
  ApiTokenRow,
  AuditEntry,
  AuditQuery,
  NoteRow,
  Role,
  SessionRow,
  UserRow,
} from '../access.js';
import type { WriteHealth } from './writes.js';

export class SqliteAccessStore implements AccessStore {
  readonly #db: Db;
  readonly #writes: WriteHealth;
  readonly #users;
  readonly #tokens;
  readonly #audit;
  readonly #notes;

  constructor(db: Db, writes: WriteHealth) {
    this.#db = db;
    this.#writes = writes;
    this.#users = usersRepo(db);
    this.#tokens = apiTokensRepo(db);
    this.#audit = auditRepo(db);
    this.#notes = notesRepo(db);
  }

  async user(id: string): Promise<UserRow | undefined> {
    return this.#users.user(id);
  }
  async userByEmail(email: string): Promise<UserRow | undefined> {
    return this.#users.userByEmail(email);
  }
  async users(): Promise<UserRow[]> {
    return this.#users.users();
  }
  async putUser(user: UserRow): Promise<UserRow> {
    return this.#writes.run(() => this.#users.put(user));
  }
  async removeUser(id: string): Promise<boolean> {
    // Sessions go with the user (ON DELETE CASCADE): one statement ends both.
    return this.#writes.run(() => this.#users.remove(id));
  }
  async changeRole(id: string, role: Role, organisations: string[], at: number): Promise<boolean> {
    return this.#writes.run(() =>
      this.#db.transaction(() => {
        const changed = this.#users.changeRole(id, role, organisations, at);
        if (changed) this.#users.endSessions(id);
        return changed;
      })(),
    );
  }
  async signedIn(id: string, at: number): Promise<void> {
    this.#writes.run(() => this.#users.signedIn(id, at));
  }

  async addSession(session: SessionRow): Promise<void> {
    this.#writes.run(() => this.#users.addSession(session));
  }
  async session(idHash: string): Promise<SessionRow | undefined> {
    return this.#users.session(idHash);
  }
  async touchSession(idHash: string, at: number): Promise<void> {
    this.#writes.run(() => this.#users.touch(idHash, at));
  }
  async endSession(idHash: string): Promise<void> {
    this.#writes.run(() => this.#users.endSession(idHash));
  }
  async endSessions(userId: string): Promise<number> {
    return this.#writes.run(() => this.#users.endSessions(userId));
  }
  async pruneSessions(idleBefore: number, now: number): Promise<number> {
    return this.#writes.run(() => this.#users.prune(idleBefore, now));
  }

  async addApiToken(token: Omit<ApiTokenRow, 'revokedAt' | 'lastUsedAt'>): Promise<void> {
    this.#writes.run(() => this.#tokens.add(token));
  }
  async apiToken(id: string): Promise<ApiTokenRow | undefined> {
    return this.#tokens.token(id);
  }
  async apiTokens(): Promise<ApiTokenRow[]> {
    return this.#tokens.tokens();
  }
  async revokeApiToken(id: string, at: number): Promise<boolean> {
    return this.#writes.run(() => this.#tokens.revoke(id, at));
  }
  async apiTokenUsed(id: string, at: number): Promise<void> {
    this.#writes.run(() => this.#tokens.used(id, at));
  }

  async audit(entry: Omit<AuditEntry, 'seq'>): Promise<void> {
    this.#writes.run(() => this.#audit.add(entry));
  }
  async auditLog(query: AuditQuery): Promise<AuditEntry[]> {
    return this.#audit.query(query);
  }
  async pruneAudit(before: number): Promise<number> {
    return this.#writes.run(() => this.#audit.prune(before));
  }

  async addNote(note: Omit<NoteRow, 'id'>): Promise<NoteRow> {
    return this.#writes.run(() => this.#notes.add(note));
  }
  async notes(subjectKind: NoteRow['subjectKind'], subjectId: string): Promise<NoteRow[]> {
    return this.#notes.list(subjectKind, subjectId);
  }
  async note(id: number): Promise<NoteRow | undefined> {
    return this.#notes.one(id);
  }
  async removeNote(id: number): Promise<boolean> {
    return this.#writes.run(() => this.#notes.remove(id));
  }
}
