import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import { AlertEngine } from '../../server/alerts/engine.js';
import type { AlertMessage, Notifier } from '../../server/alerts/message.js';
import { AlertsSubsystem } from '../../server/alerts/subsystem.js';
import type { Estate } from '../../server/config/schema.js';
import { publishingResults, StoredResults } from '../../server/results/stream.js';
import type { ResultsStore } from '../../server/store/results.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom } from '../helpers/estates.js';
import { ManualTimers } from '../helpers/manual-timers.js';

/** Four sites of three hosts, three systems of two owners, every check run from every site. */
export const alertsEstateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
  - { id: canal-gp, name: Canal Street Surgery, kind: gp-practice }
  - { id: icb, name: East Riverside ICB, kind: commissioner }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: canal-street, name: Canal Street Surgery, host: canal-gp }
  - { id: north-wing, name: North Wing, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
  - { id: email, name: Email, owner: eastfield }
  - { id: shared-record, name: Shared care record, owner: riverside }
checks:
  - { id: epr-login, system: epr, type: http, target: https://epr.example.org/, every: 1m, from: [st-annes, marsh-lane, canal-street, north-wing] }
  - { id: email-web, system: email, type: http, target: https://mail.example.org/, every: 1m, from: [st-annes, marsh-lane, canal-street, north-wing] }
  - { id: shared-record, system: shared-record, type: http, target: https://scr.example.org/, every: 1m, from: [st-annes, marsh-lane, canal-street, north-wing] }
  - { id: scr-api, system: shared-record, type: http, target: https://scr.example.org/api, every: 1m, from: [st-annes, marsh-lane, canal-street] }
channels:
  - { id: riverside-it, organisation: riverside, type: email, to: [it@riverside.example.org] }
  - { id: eastfield-it, organisation: eastfield, type: webhook, url: https://hooks.example.org/eastfield }
  - { id: canal-it, organisation: canal-gp, type: email, to: [it@canal.example.org] }
  - { id: icb-team, organisation: icb, type: email, to: [cio@icb.example.org] }
settings: { smtp: { host: 127.0.0.1, port: 2525, from: vantage@example.org } }
`;

export const SITES = ['st-annes', 'marsh-lane', 'canal-street', 'north-wing'] as const;
export const CHECKS = ['epr-login', 'email-web', 'shared-record'] as const;
export const T0 = Date.UTC(2026, 10, 24, 9, 40);
export const MINUTE = 60_000;

/** A notifier that keeps what it is handed, in order: an in-process stand-in for the outbox. */
export class RecordingNotifier implements Notifier {
  readonly sent: { channelId: string; message: AlertMessage }[] = [];
  async notify(channelId: string, message: AlertMessage): Promise<void> {
    this.sent.push({ channelId, message });
  }
  to(channelId: string): AlertMessage[] {
    return this.sent.filter((s) => s.channelId === channelId).map((s) => s.message);
  }
}

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };

export interface AlertsFixture {
  store: SqliteStores;
  results: ResultsStore;
  timers: ManualTimers;
  notifier: RecordingNotifier;
  subsystem: AlertsSubsystem;
  estate: Estate;
  /** Stores runs through the real results path and waits until the rules have seen them. */
  push(runs: RunRecord[]): Promise<void>;
  /** Stops the alerts and closes the database, as a server stopping would. */
  close(): Promise<void>;
}

export const ackKey = Buffer.alloc(32, 7);

/** The alert rules over a store, telling `notifier`, on the tests' clock and quiet. */
export function engineOn(store: SqliteStores, notifier: Notifier, clock: ManualTimers): AlertEngine {
  return new AlertEngine({
    store: store.incidents,
    maintenance: store.maintenance,
    agents: store.agents,
    results: store.results,
    notifier,
    clock,
    logger: quietLogger,
    baseUrl: () => 'https://vantage.example.org/',
    ackKey,
  });
}

/** The alert rules on a real SQLite file, fed by the real stream of stored runs. */
export async function openAlerts(dir: string, yaml = alertsEstateYaml, start = T0): Promise<AlertsFixture> {
  const store = SqliteStores.open(join(dir, 'alerts.db'));
  const estate = estateFrom(yaml);
  await store.estate.syncEstate(estate, start);
  const timers = new ManualTimers(start);
  const stream = new StoredResults(quietLogger);
  const results = publishingResults(store.results, stream);
  const notifier = new RecordingNotifier();
  const engine = engineOn(store, notifier, timers);
  const subsystem = new AlertsSubsystem({ engine, stream, timers });
  await subsystem.apply(estate);
  await subsystem.start();
  return {
    store,
    results,
    timers,
    notifier,
    subsystem,
    estate,
    async push(runs) {
      await results.recordRuns(runs);
      await engine.idle();
    },
    async close() {
      await subsystem.stop();
      await store.close();
    },
  };
}

/** One run of a check at a site, `minute` minutes after T0. */
export function run(
  checkId: string,
  site: string,
  minute: number,
  ok: boolean,
  errorClass = 'timeout',
): RunRecord {
  return {
    checkId,
    vantagePoint: site,
    startedAt: T0 + minute * MINUTE,
    state: ok ? 'ok' : 'fail',
    phases: {
      dnsMs: 1,
      connectMs: ok ? 2 : null,
      tlsMs: null,
      ttfbMs: null,
      transferMs: null,
      totalMs: ok ? 40 : 10_000,
    },
    ...(ok
      ? { status: 200 }
      : { error: { class: errorClass as 'timeout', message: `${errorClass} after 10s` } }),
  };
}

/** The runs of minutes [from, to) of these checks at these sites. */
export function minutes(
  checks: readonly string[],
  sites: readonly string[],
  from: number,
  to: number,
  ok: boolean | ((minute: number) => boolean),
): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let m = from; m < to; m++)
    for (const c of checks)
      for (const s of sites) runs.push(run(c, s, m, typeof ok === 'function' ? ok(m) : ok));
  return runs;
}
