import type { AuditEntry, AuditQuery, NoteRow } from '../../store/access.js';
import type { Db } from '../open.js';

interface AuditDbRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  address: string | null;
  detail: string | null;
}

const entryOf = (row: AuditDbRow): AuditEntry => ({
  ...row,
  detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
});

/** The audit log: appended to, read newest first, pruned by age only. */
export function auditRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO audit_log (at, actor, action, subject, address, detail)
    VALUES (@at, @actor, @action, @subject, @address, @detail)`);
  const query = db.prepare<Record<string, unknown>, AuditDbRow>(`
    SELECT * FROM audit_log
    WHERE at >= @from AND at < @to AND seq < @before
      AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action)
    ORDER BY seq DESC LIMIT @limit`);
  const prune = db.prepare('DELETE FROM audit_log WHERE at < ?');
  return {
    add: (entry: Omit<AuditEntry, 'seq'>) =>
      void insert.run({ ...entry, detail: entry.detail === null ? null : JSON.stringify(entry.detail) }),
    query: (q: AuditQuery) =>
      query
        .all({
          from: q.from ?? 0,
          to: q.to ?? Number.MAX_SAFE_INTEGER,
          before: q.before ?? Number.MAX_SAFE_INTEGER,
          actor: q.actor ?? null,
          action: q.action ?? null,
          limit: q.limit,
        })
        .map(entryOf),
    prune: (before: number) => prune.run(before).changes,
  };
}

interface NoteDbRow {
  id: number;
  subject_kind: string;
  subject_id: string;
  author: string;
  author_name: string;
  text: string;
  at: number;
}

const noteOf = (row: NoteDbRow): NoteRow => ({
  id: row.id,
  subjectKind: row.subject_kind as NoteRow['subjectKind'],
  subjectId: row.subject_id,
  author: row.author,
  authorName: row.author_name,
  text: row.text,
  at: row.at,
});

/** Notes partners keep on the systems and sites they answer for. */
export function notesRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO notes (subject_kind, subject_id, author, author_name, text, at)
    VALUES (@subjectKind, @subjectId, @author, @authorName, @text, @at)`);
  const list = db.prepare<[string, string], NoteDbRow>(
    'SELECT * FROM notes WHERE subject_kind = ? AND subject_id = ? ORDER BY at DESC, id DESC',
  );
  const one = db.prepare<[number], NoteDbRow>('SELECT * FROM notes WHERE id = ?');
  const remove = db.prepare('DELETE FROM notes WHERE id = ?');
  return {
    add(note: Omit<NoteRow, 'id'>): NoteRow {
      const id = Number(insert.run(note).lastInsertRowid);
      return { id, ...note };
    },
    list: (kind: string, id: string) => list.all(kind, id).map(noteOf),
    one: (id: number) => {
      const row = one.get(id);
      return row && noteOf(row);
    },
    remove: (id: number) => remove.run(id).changes > 0,
  };
}
