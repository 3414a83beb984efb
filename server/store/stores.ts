import type { AccessStore } from './access.js';
import type { AgentsStore } from './agents.js';
import type { DemoHistoryStore } from './demo-history.js';
import type { EstateStore } from './estate.js';
import type { IncidentsStore } from './incidents.js';
import type { MaintenanceStore } from './maintenance.js';
import type { NotificationsStore } from './notifications.js';
import type { ReportsStore } from './reports.js';
import type { ResultsStore } from './results.js';
import type { SurveyStore } from './survey.js';

/**
 * Where Vantage keeps what it knows: one store per feature, each with its own contract suite
 * (test/store/*-contract.ts) that a second implementation (PostgreSQL) must pass too. A new
 * feature adds its own store here rather than growing another's.
 */
export interface Stores {
  estate: EstateStore;
  results: ResultsStore;
  agents: AgentsStore;
  survey: SurveyStore;
  access: AccessStore;
  maintenance: MaintenanceStore;
  demoHistory: DemoHistoryStore;
  reports: ReportsStore;
  incidents: IncidentsStore;
  notifications: NotificationsStore;
  /** Resolves when the stores can take writes; rejects with the reason when they cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The same stores with another results store in front (one that publishes what it stores, say). */
export function withResults(stores: Stores, results: ResultsStore): Stores {
  return {
    estate: stores.estate,
    results,
    agents: stores.agents,
    survey: stores.survey,
    access: stores.access,
    maintenance: stores.maintenance,
    demoHistory: stores.demoHistory,
    reports: stores.reports,
    incidents: stores.incidents,
    notifications: stores.notifications,
    ping: () => stores.ping(),
    close: () => stores.close(),
  };
}
