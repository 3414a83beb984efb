import type { Retirable, SystemRow } from '../../estate/rows.js';
import type { Db } from '../open.js';

interface Row {
  id: string;
  name: string;
  owner: string;
  kind: string | null;
  supplier: string | null;
  tags: string;
  retired_at: number | null;
}

export function systemsRepo(db: Db) {
  const all = db.prepare<[], Row>(`
    SELECT s.id, s.name, o.id AS owner, s.kind, s.supplier, s.tags, s.retired_at
    FROM systems s JOIN organisations o ON o.key = s.owner_key ORDER BY s.key`);
  const upsert = db.prepare(`
    INSERT INTO systems (id, name, owner_key, kind, supplier, tags, retired_at, updated_at)
    VALUES (@id, @name, (SELECT key FROM organisations WHERE id = @owner), @kind, @supplier, @tags, NULL, @at)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, owner_key = excluded.owner_key, kind = excluded.kind,
      supplier = excluded.supplier, tags = excluded.tags, retired_at = NULL, updated_at = excluded.updated_at`);
  const retire = db.prepare('UPDATE systems SET retired_at = ?, updated_at = ? WHERE id = ?');

  return {
    all: (): Retirable<SystemRow>[] =>
      all.all().map((r) => ({
        id: r.id,
        name: r.name,
        owner: r.owner,
        kind: r.kind,
        supplier: r.supplier,
        tags: JSON.parse(r.tags) as string[],
        retiredAt: r.retired_at,
      })),
    upsert: (row: SystemRow, at: number) => upsert.run({ ...row, tags: JSON.stringify(row.tags), at }),
    retire: (id: string, at: number) => retire.run(at, at, id),
  };
}
