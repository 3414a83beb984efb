import type { ReportKind } from '../../reports/types.js';
import type { ReportRow, StoredReport } from '../../store/reports.js';
import type { Db } from '../open.js';

interface ReportDbRow {
  id: string;
  kind: ReportKind;
  period: string;
  version: number;
  replaces: string | null;
  created_at: number;
  created_by: string;
  demo: number;
  hash: string;
}

const rowOf = (row: ReportDbRow): ReportRow => ({
  id: row.id,
  kind: row.kind,
  period: row.period,
  version: row.version,
  replaces: row.replaces,
  createdAt: row.created_at,
  createdBy: row.created_by,
  demo: row.demo === 1,
  hash: row.hash,
});

const COLUMNS = 'id, kind, period, version, replaces, created_at, created_by, demo, hash';

/** Frozen reports; the body is stored and read as text, never parsed here. */
export function reportsRepo(db: Db) {
  const insert = db.prepare(`
    INSERT OR IGNORE INTO reports (id, kind, period, version, replaces, created_at, created_by, demo, body, hash)
    VALUES (@id, @kind, @period, @version, @replaces, @createdAt, @createdBy, @demo, @body, @hash)`);
  const one = db.prepare<[string], ReportDbRow & { body: string }>(
    `SELECT ${COLUMNS}, body FROM reports WHERE id = ?`,
  );
  const all = db.prepare<[], ReportDbRow>(`SELECT ${COLUMNS} FROM reports ORDER BY period DESC, version`);
  const latest = db.prepare<[string, string], ReportDbRow>(
    `SELECT ${COLUMNS} FROM reports WHERE kind = ? AND period = ? ORDER BY version DESC LIMIT 1`,
  );
  return {
    add: (report: StoredReport) => insert.run({ ...report, demo: report.demo ? 1 : 0 }).changes > 0,
    report: (id: string): StoredReport | undefined => {
      const row = one.get(id);
      return row && { ...rowOf(row), body: row.body };
    },
    list: () => all.all().map(rowOf),
    latest: (kind: ReportKind, period: string) => {
      const row = latest.get(kind, period);
      return row && rowOf(row);
    },
  };
}
