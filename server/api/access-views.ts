import type { ApiTokenRow, AuditEntry, NoteRow, UserRow } from '../store/access.js';
import type { ApiTokenView, AuditEntryView, NoteView, UserView } from './types.js';

/*
 * What the access routes answer with, field by field: a row's password hash, claims or secret hash is
 * left behind by naming what goes out, not by deleting what must not.
 */

const iso = (at: number) => new Date(at).toISOString();
const isoOrNull = (at: number | null) => (at === null ? null : iso(at));

export function userView(user: UserRow): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisations: user.organisations,
    source: user.source,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
    lastSignInAt: isoOrNull(user.lastSignInAt),
  };
}

export function apiTokenView(token: ApiTokenRow): ApiTokenView {
  return {
    id: token.id,
    role: token.role,
    organisations: token.organisations,
    label: token.label,
    createdBy: token.createdBy,
    createdAt: iso(token.createdAt),
    revokedAt: isoOrNull(token.revokedAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
  };
}

export function auditEntryView(entry: AuditEntry): AuditEntryView {
  return {
    seq: entry.seq,
    at: iso(entry.at),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    address: entry.address,
    detail: entry.detail,
  };
}

export function noteView(note: NoteRow): NoteView {
  return {
    id: note.id,
    subject: { kind: note.subjectKind, id: note.subjectId },
    author: note.author,
    authorName: note.authorName,
    text: note.text,
    at: iso(note.at),
  };
}
