import type { Db } from '../../db/open.js';
import { maintenanceRepo } from '../../db/repos/maintenance.js';
import type { AdHocWindowRow, MaintenanceStore } from '../maintenance.js';
import type { WriteHealth } from './writes.js';

export class SqliteMaintenanceStore implements MaintenanceStore {
  readonly #writes: WriteHealth;
  readonly #windows;

  constructor(db: Db, writes: WriteHealth) {
    this.#writes = writes;
    this.#windows = maintenanceRepo(db);
  }

  async add(window: Omit<AdHocWindowRow, 'endedAt' | 'endedBy'>): Promise<void> {
    this.#writes.run(() => this.#windows.add(window));
  }

  async window(id: string): Promise<AdHocWindowRow | undefined> {
    return this.#windows.window(id);
  }

  async overlapping(from: number, to: number): Promise<AdHocWindowRow[]> {
    return this.#windows.overlapping(from, to);
  }

  async end(id: string, at: number, by: string): Promise<boolean> {
    return this.#writes.run(() => this.#windows.end(id, at, by));
  }
}
