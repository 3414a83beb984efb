import type { Retirable, SiteRow } from '../../estate/rows.js';
import type { Db } from '../open.js';

interface Row {
  id: string;
  name: string;
  host: string;
  kind: string | null;
  tags: string;
  retired_at: number | null;
}

export function sitesRepo(db: Db) {
  const all = db.prepare<[], Row>(`
    SELECT s.id, s.name, o.id AS host, s.kind, s.tags, s.retired_at
    FROM sites s JOIN organisations o ON o.key = s.host_key ORDER BY s.key`);
  const upsert = db.prepare(`
    INSERT INTO sites (id, name, host_key, kind, tags, retired_at, updated_at)
    VALUES (@id, @name, (SELECT key FROM organisations WHERE id = @host), @kind, @tags, NULL, @at)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, host_key = excluded.host_key, kind = excluded.kind,
      tags = excluded.tags, retired_at = NULL, updated_at = excluded.updated_at`);
  const retire = db.prepare('UPDATE sites SET retired_at = ?, updated_at = ? WHERE id = ?');

  return {
    all: (): Retirable<SiteRow>[] =>
      all.all().map((r) => ({
        id: r.id,
        name: r.name,
        host: r.host,
        kind: r.kind,
        tags: JSON.parse(r.tags) as string[],
        retiredAt: r.retired_at,
      })),
    upsert: (row: SiteRow, at: number) => upsert.run({ ...row, tags: JSON.stringify(row.tags), at }),
    retire: (id: string, at: number) => retire.run(at, at, id),
  };
}
