import type { Estate } from '../../config/schema.js';
import type { Db } from '../../db/open.js';
import { checksRepo } from '../../db/repos/checks.js';
import { organisationsRepo } from '../../db/repos/organisations.js';
import { sitesRepo } from '../../db/repos/sites.js';
import { systemsRepo } from '../../db/repos/systems.js';
import { diffEntities } from '../../estate/diff.js';
import { type EstateRows, estateRows, type Retirable, type StoredEstate } from '../../estate/rows.js';
import type { EstateStore, KindReport, SyncReport } from '../estate.js';
import type { WriteHealth } from './writes.js';

interface Repo<Row extends { id: string }> {
  all(): Retirable<Row>[];
  upsert(row: Row, at: number): unknown;
  retire(id: string, at: number): unknown;
}

export class SqliteEstateStore implements EstateStore {
  readonly #db: Db;
  readonly #writes: WriteHealth;
  readonly #repos;
  #generation = 0;

  constructor(db: Db, writes: WriteHealth) {
    this.#db = db;
    this.#writes = writes;
    this.#repos = {
      organisations: organisationsRepo(db),
      sites: sitesRepo(db),
      systems: systemsRepo(db),
      checks: checksRepo(db),
    };
  }

  async syncEstate(estate: Estate, at: number): Promise<SyncReport> {
    const rows = estateRows(estate);
    this.#generation += 1;
    // A database written before secrets were kept as ${NAME} holds their values in the checks' rows:
    // rewritten now, the old bytes are overwritten rather than left in free space.
    const secureDelete = this.#db.pragma('secure_delete', { simple: true }) as number;
    this.#db.pragma('secure_delete = ON');
    try {
      return this.#writes.run(() => this.#syncRows(rows, at));
    } finally {
      this.#db.pragma(`secure_delete = ${secureDelete}`);
    }
  }

  #syncRows(rows: EstateRows, at: number): SyncReport {
    const repos = this.#repos;
    return this.#db.transaction(() => ({
      // Referenced kinds first, so that a new site's host exists before the site does.
      organisations: sync(repos.organisations, rows.organisations, at, (r) =>
        JSON.stringify([r.name, r.kind, r.ods]),
      ),
      sites: sync(repos.sites, rows.sites, at, (r) => JSON.stringify([r.name, r.host, r.kind, r.tags])),
      systems: sync(repos.systems, rows.systems, at, (r) =>
        JSON.stringify([r.name, r.owner, r.kind, r.supplier, r.tags]),
      ),
      checks: sync(repos.checks, rows.checks, at, (r) => JSON.stringify(r.definition)),
    }))();
  }

  estateGeneration(): number {
    return this.#generation;
  }

  async readEstate(options: { includeRetired?: boolean } = {}): Promise<StoredEstate> {
    const keep = <Row extends { retiredAt: number | null }>(rows: Row[]) =>
      options.includeRetired ? rows : rows.filter((row) => row.retiredAt === null);
    return this.#db.transaction(() => ({
      organisations: keep(this.#repos.organisations.all()),
      sites: keep(this.#repos.sites.all()),
      systems: keep(this.#repos.systems.all()),
      checks: keep(this.#repos.checks.all()),
    }))();
  }

  async activeCheckIds(): Promise<string[]> {
    return this.#repos.checks.activeIds();
  }

  async getCheck(checkId: string) {
    return this.#repos.checks.get(checkId);
  }
}

function sync<Row extends { id: string }>(
  repo: Repo<Row>,
  desired: Row[],
  at: number,
  fingerprint: (row: Row) => string,
): KindReport {
  const changes = diffEntities(repo.all(), desired, fingerprint);
  for (const row of [...changes.added, ...changes.changed, ...changes.restored]) repo.upsert(row, at);
  for (const id of changes.retired) repo.retire(id, at);
  const ids = (rows: Row[]) => rows.map((row) => row.id);
  return {
    added: ids(changes.added),
    changed: ids(changes.changed),
    restored: ids(changes.restored),
    retired: changes.retired,
  };
}
