import type { Db } from '../../db/open.js';
import { heldRepo } from '../../db/repos/held.js';
import { incidentsRepo } from '../../db/repos/incidents.js';
import type { Acknowledged, IncidentsQuery, IncidentsStore, IncidentsWrite } from '../incidents.js';
import type { WriteHealth } from './writes.js';

export class SqliteIncidentsStore implements IncidentsStore {
  readonly #db: Db;
  readonly #writes: WriteHealth;
  readonly #repo;
  readonly #held;

  constructor(db: Db, writes: WriteHealth) {
    this.#db = db;
    this.#writes = writes;
    this.#repo = incidentsRepo(db);
    this.#held = heldRepo(db);
  }

  async write<T>(work: (tx: IncidentsWrite) => T): Promise<T> {
    const repo = this.#repo;
    const tx: IncidentsWrite = {
      open: repo.open,
      update: repo.update,
      join: repo.join,
      leave: repo.leave,
      event: repo.event,
      saveSeries: repo.saveSeries,
      dropSeries: repo.dropSeries,
      hold: this.#held.hold,
      release: this.#held.release,
    };
    return this.#writes.run(() => this.#db.transaction(() => work(tx))());
  }

  async series() {
    return this.#repo.series();
  }

  async open() {
    return this.#repo.openIncidents();
  }

  async incident(id: string) {
    return this.#repo.incident(id);
  }

  async members(id: string) {
    return this.#repo.members(id);
  }

  async events(id: string) {
    return this.#repo.events(id);
  }

  async heldDue(now: number) {
    return this.#held.due(now);
  }

  async heldFor(incidentId: string, channel: string) {
    return this.#held.latestFor(incidentId, channel);
  }

  async list(query: IncidentsQuery) {
    return this.#repo.list(query);
  }

  async acknowledge(id: string, at: number, by: string, via: 'api' | 'link'): Promise<Acknowledged> {
    return this.#writes.run(() =>
      this.#db.transaction((): Acknowledged => {
        const before = this.#repo.incident(id);
        if (!before) return { ok: false, reason: 'not-found' };
        if (before.resolvedAt !== null) return { ok: false, reason: 'resolved', incident: before };
        if (!this.#repo.acknowledge(id, at, by)) return { ok: false, reason: 'already', incident: before };
        this.#repo.event(id, { at, kind: 'acknowledged', detail: { by, via } });
        return { ok: true, incident: { ...before, acknowledgedAt: at, acknowledgedBy: by } };
      })(),
    );
  }

  subjectOf(id: string) {
    return this.#repo.subjectOf(id);
  }
}
