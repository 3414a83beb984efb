import type { Db } from '../../db/open.js';
import { reportsRepo } from '../../db/repos/reports.js';
import type { ReportKind } from '../../reports/types.js';
import type { ReportRow, ReportsStore, StoredReport } from '../reports.js';
import type { WriteHealth } from './writes.js';

export class SqliteReportsStore implements ReportsStore {
  readonly #writes: WriteHealth;
  readonly #reports;

  constructor(db: Db, writes: WriteHealth) {
    this.#writes = writes;
    this.#reports = reportsRepo(db);
  }

  async add(report: StoredReport): Promise<boolean> {
    return this.#writes.run(() => this.#reports.add(report));
  }

  async report(id: string): Promise<StoredReport | undefined> {
    return this.#reports.report(id);
  }

  async list(): Promise<ReportRow[]> {
    return this.#reports.list();
  }

  async latest(kind: ReportKind, period: string): Promise<ReportRow | undefined> {
    return this.#reports.latest(kind, period);
  }
}
