import type { OrganisationRow, Retirable } from '../../estate/rows.js';
import type { Db } from '../open.js';

interface Row {
  id: string;
  name: string;
  kind: string;
  ods: string | null;
  retired_at: number | null;
}

export function organisationsRepo(db: Db) {
  const all = db.prepare<[], Row>('SELECT id, name, kind, ods, retired_at FROM organisations ORDER BY key');
  const upsert = db.prepare(`
    INSERT INTO organisations (id, name, kind, ods, retired_at, updated_at) VALUES (@id, @name, @kind, @ods, NULL, @at)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, ods = excluded.ods,
      retired_at = NULL, updated_at = excluded.updated_at`);
  const retire = db.prepare('UPDATE organisations SET retired_at = ?, updated_at = ? WHERE id = ?');

  return {
    all: (): Retirable<OrganisationRow>[] =>
      all.all().map((r) => ({ id: r.id, name: r.name, kind: r.kind, ods: r.ods, retiredAt: r.retired_at })),
    upsert: (row: OrganisationRow, at: number) => upsert.run({ ...row, at }),
    retire: (id: string, at: number) => retire.run(at, at, id),
  };
}
