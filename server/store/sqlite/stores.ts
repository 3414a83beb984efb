import { type Db, openDatabase } from '../../db/open.js';
import type { Stores } from '../stores.js';
import { SqliteAccessStore } from './access.js';
import { SqliteAgentsStore } from './agents.js';
import { SqliteDemoHistoryStore } from './demo-history.js';
import { SqliteEstateStore } from './estate.js';
import { SqliteIncidentsStore } from './incidents.js';
import { SqliteMaintenanceStore } from './maintenance.js';
import { SqliteNotificationsStore } from './notifications.js';
import { SqliteReportsStore } from './reports.js';
import { SqliteResultsStore } from './results.js';
import { SqliteSurveyStore } from './survey.js';
import { WriteHealth } from './writes.js';

/** Every feature's store on one SQLite database, sharing its connection and its write health. */
export class SqliteStores implements Stores {
  readonly db: Db;
  readonly estate: SqliteEstateStore;
  readonly results: SqliteResultsStore;
  readonly agents: SqliteAgentsStore;
  readonly survey: SqliteSurveyStore;
  readonly access: SqliteAccessStore;
  readonly maintenance: SqliteMaintenanceStore;
  readonly demoHistory: SqliteDemoHistoryStore;
  readonly reports: SqliteReportsStore;
  readonly incidents: SqliteIncidentsStore;
  readonly notifications: SqliteNotificationsStore;
  readonly #writes: WriteHealth;

  constructor(db: Db) {
    this.db = db;
    this.#writes = new WriteHealth(db);
    this.estate = new SqliteEstateStore(db, this.#writes);
    this.results = new SqliteResultsStore(db, this.#writes);
    this.agents = new SqliteAgentsStore(db, this.#writes);
    this.survey = new SqliteSurveyStore(db, this.#writes);
    this.access = new SqliteAccessStore(db, this.#writes);
    this.maintenance = new SqliteMaintenanceStore(db, this.#writes);
    this.demoHistory = new SqliteDemoHistoryStore(db, this.#writes);
    this.reports = new SqliteReportsStore(db, this.#writes);
    this.incidents = new SqliteIncidentsStore(db, this.#writes);
    this.notifications = new SqliteNotificationsStore(db, this.#writes);
  }

  /** Opens a database file (creating and migrating it as needed). */
  static open(file: string): SqliteStores {
    return new SqliteStores(openDatabase(file));
  }

  async ping(): Promise<void> {
    this.#writes.ping();
  }

  async close(): Promise<void> {
    if (this.#writes.close()) this.db.close();
  }
}
