import type { AdHocWindowRow, MaintenanceScope } from '../../store/maintenance.js';
import type { Db } from '../open.js';

interface WindowDbRow {
  id: string;
  title: string;
  start_ms: number;
  end_ms: number;
  scope: string;
  created_by: string;
  created_at: number;
  ended_at: number | null;
  ended_by: string | null;
}

const windowOf = (row: WindowDbRow): AdHocWindowRow => ({
  id: row.id,
  title: row.title,
  start: row.start_ms,
  end: row.end_ms,
  scope: JSON.parse(row.scope) as MaintenanceScope,
  createdBy: row.created_by,
  createdAt: row.created_at,
  endedAt: row.ended_at,
  endedBy: row.ended_by,
});

/** Ad hoc maintenance windows. */
export function maintenanceRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO maintenance_windows (id, title, start_ms, end_ms, scope, created_by, created_at)
    VALUES (@id, @title, @start, @end, @scope, @createdBy, @createdAt)`);
  const one = db.prepare<[string], WindowDbRow>('SELECT * FROM maintenance_windows WHERE id = ?');
  const overlapping = db.prepare<[number, number], WindowDbRow>(
    'SELECT * FROM maintenance_windows WHERE end_ms > ? AND start_ms < ? AND end_ms > start_ms ORDER BY start_ms, id',
  );
  // Clamped to [start, end]: ending a window that has not begun leaves it empty, and one already
  // over keeps the end it had.
  const end = db.prepare(`
    UPDATE maintenance_windows SET end_ms = max(start_ms, min(end_ms, @at)), ended_at = @at, ended_by = @by
    WHERE id = @id`);
  return {
    add: (row: Omit<AdHocWindowRow, 'endedAt' | 'endedBy'>) =>
      void insert.run({ ...row, scope: JSON.stringify(row.scope) }),
    window: (id: string) => {
      const row = one.get(id);
      return row && windowOf(row);
    },
    overlapping: (from: number, to: number) => overlapping.all(from, to).map(windowOf),
    end: (id: string, at: number, by: string) => end.run({ id, at, by }).changes > 0,
  };
}
