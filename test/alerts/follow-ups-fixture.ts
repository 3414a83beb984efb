import { join } from 'node:path';
import type { RunRecord } from '../../runs/record.js';
import type { AlertMessage } from '../../server/alerts/message.js';
import { NotificationOutbox } from '../../server/alerts/outbox/outbox.js';
import { AlertsSubsystem } from '../../server/alerts/subsystem.js';
import { publishingResults, StoredResults } from '../../server/results/stream.js';
import type { IncidentEvent, IncidentRow } from '../../server/store/incidents.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom } from '../helpers/estates.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { alertsEstateYaml, engineOn, MINUTE, quietLogger, run, SITES, T0 } from './fixture.js';

/** The alerts estate with more channels and an `alerts:` section. */
export function estateWith(channels: string, alerts: string): string {
  return `${alertsEstateYaml.replace('settings:', `${channels}settings:`)}alerts:\n${alerts}`;
}

export interface Running {
  store: SqliteStores;
  timers: ManualTimers;
  subsystem: AlertsSubsystem;
  /** Fails (or recovers) epr-login at every site for three minutes from `minute` after the clock's start. */
  epr(ok: boolean, minute?: number): Promise<void>;
  /** What the outbox holds for a channel, oldest first. */
  outbox(channel: string): Promise<AlertMessage[]>;
  incident(): Promise<IncidentRow>;
  timeline(kind?: IncidentEvent['kind']): Promise<IncidentEvent[]>;
  acknowledge(): Promise<void>;
  close(): Promise<void>;
}

/** The alert rules over a real SQLite file, handing their messages to the real notification outbox. */
export async function runAlerts(dir: string, yaml: string, start = T0): Promise<Running> {
  const store = SqliteStores.open(join(dir, 'alerts.db'));
  const estate = estateFrom(yaml);
  await store.estate.syncEstate(estate, start);
  const timers = new ManualTimers(start);
  const stream = new StoredResults(quietLogger);
  const results = publishingResults(store.results, stream);
  const engine = engineOn(
    store,
    new NotificationOutbox({ store: store.notifications, clock: timers }),
    timers,
  );
  const subsystem = new AlertsSubsystem({ engine, stream, timers });
  await subsystem.apply(estate);
  await subsystem.start();
  const incident = async () => {
    const [row] = await store.incidents.list({ state: 'all', limit: 1 });
    if (!row) throw new Error('no incident');
    return row;
  };
  return {
    store,
    timers,
    subsystem,
    async epr(ok, minute = Math.round((timers.now() - start) / MINUTE)) {
      for (let m = minute; m < minute + 3; m++) {
        const runs: RunRecord[] = SITES.map((site) => ({
          ...run('epr-login', site, 0, ok),
          startedAt: start + m * MINUTE,
        }));
        await results.recordRuns(runs);
        await engine.idle();
      }
    },
    async outbox(channel) {
      const rows = await store.notifications.list({ channels: [channel], limit: 1_000 });
      return rows.sort((a, b) => a.id - b.id).map((r) => r.message);
    },
    incident,
    async timeline(kind) {
      const events = await store.incidents.events((await incident()).id);
      return kind ? events.filter((e) => e.kind === kind) : events;
    },
    async acknowledge() {
      const acked = await store.incidents.acknowledge((await incident()).id, timers.now(), 'ana', 'api');
      if (!acked.ok) throw new Error(`not acknowledged: ${acked.reason}`);
      await engine.acknowledged(acked.incident);
    },
    async close() {
      await subsystem.stop();
      await store.close();
    },
  };
}

export const events = (messages: readonly AlertMessage[]) => messages.map((m) => m.event);
