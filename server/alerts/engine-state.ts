import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import type { Check, Estate } from '../config/schema.js';
import { allWindows, type Window, maintenanceOf as windowsCovering } from '../principles/windows.js';
import type { AgentsStore } from '../store/agents.js';
import type { IncidentsStore, MemberRow, SeriesRow } from '../store/incidents.js';
import type { MaintenanceStore } from '../store/maintenance.js';
import type { ResultsStore } from '../store/results.js';
import { type AlertSettings, alertSettings } from './config.js';
import { lookupOf } from './estate-lookup.js';
import type { FollowUps } from './follow-ups.js';
import { keyOf, OpenIncidents, type Scene } from './incidents.js';
import { LatencyBurn } from './latency-burn.js';
import type { LatencyRounds } from './latency-grace.js';
import { LatencyWindows } from './latency-windows.js';
import { graceFor, RoundWaits } from './localise-grace.js';
import type { Notifier } from './message.js';

export interface AlertEngineDeps {
  store: IncidentsStore;
  maintenance: Pick<MaintenanceStore, 'overlapping'>;
  agents: Pick<AgentsStore, 'heartbeats'>;
  /** Where runs stored before a stop but not yet evaluated are read back from at the start. */
  results?: Pick<ResultsStore, 'listResults' | 'timelines' | 'totalTimes'>;
  /** The notification outbox; without one, incidents are kept and shown but nobody is told. */
  notifier?: Notifier;
  clock: Clock;
  logger: Logger;
  /** The server's address, ending in `/`: for links in messages, unless the estate gives the dashboard's. */
  baseUrl: () => string;
  ackKey: Buffer;
}

/**
 * What the alert rules keep between evaluations: each series' counters and the open incidents (both
 * also in the database, read back at a start), and what lives in memory only (silent agents, latency
 * windows, when the burn rates were last read, follow-ups read from timelines).
 */
export class EngineState {
  readonly deps: AlertEngineDeps;
  readonly series = new Map<string, SeriesRow>();
  readonly open = new OpenIncidents();
  silent = new Set<string>();
  estate: Estate | undefined;
  settings: AlertSettings = alertSettings(undefined);
  readonly latency = new LatencyWindows(this.settings.latency);
  /** Failing series waiting for the rest of their round before a host's incident. */
  readonly rounds = new RoundWaits();
  /** Slow series waiting likewise (the latency rule's own, as a series may be failing and slow). */
  readonly latencyRounds = new RoundWaits();
  /** The latency principles' runs over their burn windows, counted as they arrive. */
  readonly latencyBurn = new LatencyBurn();
  /** When the burn rates were last read; runs stored sooner after it wait for the timer. */
  burnAt = Number.NEGATIVE_INFINITY;
  /** Escalations, reminders and refreshes each open incident has had, read from its timeline when first needed. */
  readonly followUps = new Map<string, FollowUps>();

  constructor(deps: AlertEngineDeps) {
    this.deps = deps;
  }

  /** Reads the counters and open incidents back from the store. */
  async reload(): Promise<void> {
    const { store } = this.deps;
    this.series.clear();
    this.followUps.clear();
    for (const row of await store.series()) this.series.set(keyOf(row), row);
    const open = await store.open();
    const members = new Map<string, MemberRow[]>();
    for (const incident of open) members.set(incident.id, await store.members(incident.id));
    this.open.load(open, members);
    this.#resumeWaits();
  }

  /**
   * A failing series in no incident was waiting for the rest of its round when the server stopped: it
   * waits again, one grace from now, so the other sites' runs (sent late, or read back) can still make
   * it its owner's. A series whose wait is over, or with no other site behind it, is placed as before.
   */
  #resumeWaits(): void {
    if (!this.estate || !this.settings.failures.enabled) return;
    const now = this.deps.clock.now();
    for (const [key, row] of this.series) {
      if (!row.failing || this.open.coveredBy(key) !== undefined) continue;
      const check = lookupOf(this.estate).check(row.checkId);
      if (!check) continue;
      const graceMs = graceFor(check, this.settings.localisationGraceMs);
      if (graceMs > 0) this.rounds.resume(key, now + graceMs);
    }
  }

  /** Writes in one transaction; should it fail, memory is read back from the store so the two agree. */
  async write(work: Parameters<IncidentsStore['write']>[0]): Promise<void> {
    try {
      await this.deps.store.write(work);
    } catch (error) {
      await this.reload();
      throw error;
    }
  }

  /**
   * The maintenance windows over the time these runs and the streaks they lengthen cover: none are read
   * when no run failed, unless `always` (the latency burn counts every run outside maintenance).
   */
  async windowsFor(
    estate: Estate,
    ordered: readonly RunRecord[],
    now: number,
    always = false,
  ): Promise<Window[]> {
    if (!always && !ordered.some((run) => run.state === 'fail')) return [];
    let from = (ordered[0] as RunRecord).startedAt;
    for (const run of ordered) {
      const streak = this.series.get(keyOf(run))?.streak;
      if (streak) from = Math.min(from, Date.parse(streak.startedAt));
    }
    return allWindows(estate, this.deps.maintenance, from, now + 1);
  }

  /**
   * What the failures rule needs to let a series wait for the rest of its round. Runs read back at a
   * start wait out a wait already under way, but start none: they are not news.
   */
  roundsFor(catchingUp: boolean) {
    const configured = this.settings.localisationGraceMs;
    return {
      rounds: {
        waits: this.rounds,
        graceMs: (check: Check) => graceFor(check, configured),
        startsWaits: !catchingUp,
      },
    };
  }

  /** What the latency rule needs to let a slow series wait for the rest of its round. */
  latencyRoundsFor(fresh: boolean): LatencyRounds {
    const configured = this.settings.localisationGraceMs;
    return { waits: this.latencyRounds, graceMs: (check: Check) => graceFor(check, configured), fresh };
  }

  scene(estate: Estate, now: number, windows: readonly Window[]): Scene {
    return {
      estate,
      now,
      maintenanceOf: (checkId, vantagePoint) => {
        const check = lookupOf(estate).check(checkId);
        if (!check || windows.length === 0) return [];
        const system = lookupOf(estate).system(check.system);
        const site = lookupOf(estate).site(vantagePoint);
        return windowsCovering(windows, { check, ...(system ? { system } : {}), ...(site ? { site } : {}) });
      },
    };
  }
}
