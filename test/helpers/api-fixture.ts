import { mkdirSync, writeFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import type { Logger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from './as-admin.js';
import { estateFrom, smallEstateYaml } from './estates.js';

/** The small estate with an open survey, for the API's whole surface. */
export const surveyEstateYaml = smallEstateYaml.concat(`surveys:
  - { id: usability-2025, title: IT usability survey 2025, opens: 2025-10-01, closes: 2025-12-31, systems: { epr: sus } }
  - { id: usability-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, publish: live, systems: { epr: sus } }
principles:
  - { id: epr-available, title: Core clinical systems available, metric: availability, target: 99.9%, window: 30d, scope: { systems: [epr] } }
`);

/** The key the fixture's acknowledgement links are signed with. */
export const fixtureAckKey = Buffer.alloc(32, 3);

/** A time the survey is open. */
export const fixtureNow = Date.UTC(2026, 10, 24, 10, 30);

export interface ApiFixture {
  /** The app as an admin's script calls it: requests without credentials carry an admin's API token. */
  app: RequestListener;
  /** The app itself, with no credentials added. */
  bare: ReturnType<typeof createApp>;
  store: SqliteStores;
  estate: Estate;
  /** A live agent token for st-annes. */
  token: string;
  registry: Registry;
  /** What the server logged as an error: each 500 is logged once. */
  errors: string[];
  /** Rows in every table of the database, by table. */
  rowCounts(): Record<string, number>;
  close(): Promise<void>;
}

/**
 * The whole HTTP surface on a real SQLite file: the API, the agents' routes (with a token), the survey
 * form, /metrics and a dashboard folder with a page and an asset.
 */
export async function openApiFixture(dir: string, now = () => fixtureNow): Promise<ApiFixture> {
  const file = join(dir, 'api.db');
  const store = SqliteStores.open(file);
  const estate = estateFrom(surveyEstateYaml);
  await store.estate.syncEstate(estate, now());
  const token = (await createAgentToken(store.agents, { site: 'st-annes', label: null, at: now() })).token;
  // An open incident (id 1) for riverside, epr's owner, for the alerts' routes.
  await store.incidents.write((tx) =>
    tx.open({
      rule: 'consecutive-failures',
      grouping: 'system:epr',
      severity: 'critical',
      organisation: 'riverside',
      role: 'owner',
      subject: { kind: 'system', id: 'epr' },
      title: 'Electronic patient record unreachable from 2 of 2 sites since 10:20',
      startedAt: now() - 600_000,
      openedAt: now() - 480_000,
      backlogReceivedAt: null,
      inMaintenance: false,
      evidence: { errorClasses: ['timeout'] },
    }),
  );
  const webRoot = join(dir, 'web');
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Vantage</title>');
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log("dashboard");');
  const errors: string[] = [];
  const logger: Logger = {
    info() {},
    warn() {},
    error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields)}`),
  };
  const registry = new Registry();
  const app = createApp({
    store,
    clock: { now },
    logger,
    estate: () => estate,
    metrics: registry,
    webRoot,
    alerts: { ackKey: fixtureAckKey },
  });
  const rowCounts = () => {
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[];
      return Object.fromEntries(
        tables.map((table) => [table, db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number]),
      );
    } finally {
      db.close();
    }
  };
  return {
    app: await asAdmin(app, store),
    bare: app,
    store,
    estate,
    token,
    registry,
    errors,
    rowCounts,
    close: () => store.close(),
  };
}
