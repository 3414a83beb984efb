import type { Check } from '../../config/schema.js';
import type { CheckRow, Retirable } from '../../estate/rows.js';
import type { Db } from '../open.js';

interface Row {
  id: string;
  name: string | null;
  system: string;
  type: string;
  target: string;
  definition: string;
  retired_at: number | null;
}

/** Checks and the sites each runs from (check_sites, kept for looking checks up by site). */
export function checksRepo(db: Db) {
  const all = db.prepare<[], Row>(`
    SELECT c.id, c.name, s.id AS system, c.type, c.target, c.definition, c.retired_at
    FROM checks c JOIN systems s ON s.key = c.system_key ORDER BY c.key`);
  const upsert = db.prepare(`
    INSERT INTO checks (id, name, system_key, type, target, definition, retired_at, updated_at)
    VALUES (@id, @name, (SELECT key FROM systems WHERE id = @system), @type, @target, @definition, NULL, @at)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, system_key = excluded.system_key, type = excluded.type,
      target = excluded.target, definition = excluded.definition, retired_at = NULL, updated_at = excluded.updated_at`);
  const clearSites = db.prepare(
    'DELETE FROM check_sites WHERE check_key = (SELECT key FROM checks WHERE id = ?)',
  );
  const addSite = db.prepare(`
    INSERT INTO check_sites (check_key, site_key)
    VALUES ((SELECT key FROM checks WHERE id = ?), (SELECT key FROM sites WHERE id = ?))`);
  const one = db.prepare<[string], Row>(`
    SELECT c.id, c.name, s.id AS system, c.type, c.target, c.definition, c.retired_at
    FROM checks c JOIN systems s ON s.key = c.system_key WHERE c.id = ? AND c.retired_at IS NULL`);
  const retire = db.prepare('UPDATE checks SET retired_at = ?, updated_at = ? WHERE id = ?');
  const activeIds = db
    .prepare<[], string>('SELECT id FROM checks WHERE retired_at IS NULL ORDER BY id')
    .pluck();
  const toCheck = (r: Row): Retirable<CheckRow> => {
    const definition = JSON.parse(r.definition) as Check;
    return {
      id: r.id,
      name: r.name,
      system: r.system,
      type: r.type,
      target: r.target,
      from: definition.from ?? [],
      definition,
      retiredAt: r.retired_at,
    };
  };

  return {
    all: (): Retirable<CheckRow>[] => all.all().map(toCheck),
    /** The ids of the checks not retired, without reading their definitions. */
    activeIds: (): string[] => activeIds.all(),
    /** One check in the estate now, or undefined. */
    get: (id: string): Retirable<CheckRow> | undefined => {
      const row = one.get(id);
      return row ? toCheck(row) : undefined;
    },
    upsert: (row: CheckRow, at: number) => {
      upsert.run({
        id: row.id,
        name: row.name,
        system: row.system,
        type: row.type,
        target: row.target,
        definition: JSON.stringify(row.definition),
        at,
      });
      clearSites.run(row.id);
      for (const site of row.from) addSite.run(row.id, site);
    },
    retire: (id: string, at: number) => retire.run(at, at, id),
  };
}
