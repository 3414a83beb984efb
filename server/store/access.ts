/** Who may sign in, their sessions, API tokens, the audit log and partners' notes. */

export const roles = ['admin', 'partner', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Where a person's account came from: made with `vantage user add`, the identity provider, or the demo. */
export type UserSource = 'local' | 'oidc' | 'demo';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The organisations a partner acts for; empty for other roles. */
  organisations: string[];
  source: UserSource;
  /** scrypt hash of a local account's password; null for the others. */
  passwordHash: string | null;
  /** The identity provider's claim values the role was decided from, to decide again when the mapping changes. */
  claims: string[] | null;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
}

export interface SessionRow {
  /** SHA-256 of the cookie's secret: the cookie itself is never stored. */
  idHash: string;
  userId: string;
  /** Sent back with each change made with this session's cookie. */
  csrf: string;
  address: string | null;
  createdAt: number;
  lastSeenAt: number;
  /** The absolute end, whatever the use. */
  expiresAt: number;
}

export interface ApiTokenRow {
  id: string;
  role: Role;
  organisations: string[];
  label: string | null;
  secretHash: string;
  /** Who made it (an email, or `cli`). */
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface AuditEntry {
  seq: number;
  at: number;
  /** An email, `token:<id>`, `cli:<user>` or `anonymous`. */
  actor: string;
  action: string;
  subject: string | null;
  address: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditQuery {
  from?: number;
  to?: number;
  actor?: string;
  action?: string;
  /** Entries before this sequence number (for the next page). */
  before?: number;
  limit: number;
}

export interface NoteRow {
  id: number;
  subjectKind: 'system' | 'site';
  subjectId: string;
  author: string;
  authorName: string;
  text: string;
  at: number;
}

export interface AccessStore {
  user(id: string): Promise<UserRow | undefined>;
  userByEmail(email: string): Promise<UserRow | undefined>;
  users(): Promise<UserRow[]>;
  /** Adds a user, or replaces the one with the same email (keeping its id and creation time). */
  putUser(user: UserRow): Promise<UserRow>;
  /** Removes a user and ends every session of theirs; false when there is no such user. */
  removeUser(id: string): Promise<boolean>;
  /** Changes a user's role and organisations and ends their sessions, in one transaction. */
  changeRole(id: string, role: Role, organisations: string[], at: number): Promise<boolean>;
  signedIn(id: string, at: number): Promise<void>;

  addSession(session: SessionRow): Promise<void>;
  session(idHash: string): Promise<SessionRow | undefined>;
  touchSession(idHash: string, at: number): Promise<void>;
  endSession(idHash: string): Promise<void>;
  /** Ends every session of a user; the number ended. */
  endSessions(userId: string): Promise<number>;
  /** Removes sessions past their idle or absolute end. */
  pruneSessions(idleBefore: number, now: number): Promise<number>;

  addApiToken(token: Omit<ApiTokenRow, 'revokedAt' | 'lastUsedAt'>): Promise<void>;
  apiToken(id: string): Promise<ApiTokenRow | undefined>;
  apiTokens(): Promise<ApiTokenRow[]>;
  revokeApiToken(id: string, at: number): Promise<boolean>;
  apiTokenUsed(id: string, at: number): Promise<void>;

  audit(entry: Omit<AuditEntry, 'seq'>): Promise<void>;
  auditLog(query: AuditQuery): Promise<AuditEntry[]>;
  pruneAudit(before: number): Promise<number>;

  addNote(note: Omit<NoteRow, 'id'>): Promise<NoteRow>;
  notes(subjectKind: NoteRow['subjectKind'], subjectId: string): Promise<NoteRow[]>;
  note(id: number): Promise<NoteRow | undefined>;
  removeNote(id: number): Promise<boolean>;
}
