import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { type RunRecord, SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Estate } from '../config/schema.js';
import { allWindows, type Window, maintenanceOf as windowsCovering } from '../principles/windows.js';
import type { AgentsStore } from '../store/agents.js';
import type { IncidentRow, IncidentsStore, MemberRow, SeriesRow } from '../store/incidents.js';
import type { MaintenanceStore } from '../store/maintenance.js';
import type { ResultsStore } from '../store/results.js';
import { measureBurn } from './burn-measure.js';
import { burnPrinciples, judgeBurn, pairsFor, verdicts } from './burn-rate.js';
import { certificateFindings, checkCertificates } from './certificates.js';
import { type AlertSettings, alertSettings } from './config.js';
import { groupFailures, type SeriesEvent } from './failures.js';
import { dueFollowUps, type FollowUps, followUpsOf } from './follow-ups.js';
import { keyOf, type Note, OpenIncidents, type Scene } from './incidents.js';
import { judgeLatency, LATENCY } from './latency.js';
import { LatencyWindows, latencyTargets } from './latency-windows.js';
import type { AlertMessage, Notifier } from './message.js';
import { alertDetail, alertMessage, channelsFor } from './messages.js';
import type { Settled } from './outbox/dispatcher.js';
import { londonTimeText, quietUntil } from './quiet-hours.js';
import { advance } from './series.js';
import { checkAgents } from './silent-agents.js';

/**
 * A run received this long after it started came from a backlog (an agent replaying its outbox after
 * an outage): longer than the longest timeout a run may take, and the few minutes a batch may wait.
 */
export const BACKLOG_AFTER_MS = 15 * 60_000;

/** Runs read back per check at a start: more than a stop cut short, far fewer than a day of them. */
const CATCH_UP_LIMIT = 1_000;

export interface AlertEngineDeps {
  store: IncidentsStore;
  maintenance: Pick<MaintenanceStore, 'overlapping'>;
  agents: Pick<AgentsStore, 'heartbeats'>;
  /** Where runs stored before a stop but not yet evaluated are read back from at the start. */
  results?: Pick<ResultsStore, 'listResults' | 'timelines'>;
  /** The notification outbox; without one, incidents are kept and shown but nobody is told. */
  notifier?: Notifier;
  clock: Clock;
  logger: Logger;
  /** The server's address, ending in `/`: for links in messages, unless the estate gives the dashboard's. */
  baseUrl: () => string;
  ackKey: Buffer;
}

/**
 * The alert rules over the stream of stored runs: counts each series' runs in the order they ran, opens,
 * groups, escalates and resolves incidents, and hands each opened, escalated, acknowledged and resolved
 * incident to the notifier for the responsible organisation's channels. One evaluation at a time.
 */
export class AlertEngine {
  readonly #deps: AlertEngineDeps;
  readonly #series = new Map<string, SeriesRow>();
  readonly #open = new OpenIncidents();
  #silent = new Set<string>();
  #estate: Estate | undefined;
  #settings: AlertSettings = alertSettings(undefined);
  readonly #latency = new LatencyWindows(this.#settings.latency);
  /** When the burn rates were last read; runs stored sooner after it wait for the timer. */
  #burnAt = Number.NEGATIVE_INFINITY;
  #queue: Promise<void> = Promise.resolve();
  /** Escalations, reminders and refreshes each open incident has had, read from its timeline when first needed. */
  readonly #followUps = new Map<string, FollowUps>();

  constructor(deps: AlertEngineDeps) {
    this.#deps = deps;
  }

  /** Takes the estate as configured now; what it no longer has stops counting, and its incidents close. */
  setEstate(estate: Estate): Promise<void> {
    this.#estate = estate;
    this.#settings = alertSettings(estate.alerts);
    const targets = latencyTargets(estate, this.#settings.latency);
    this.#latency.configure(this.#settings.latency, targets);
    this.#latency.retain(new Set(targets.keys()));
    return this.#serially(() => this.#forgetRetired(estate));
  }

  /** Reads the counters and open incidents back, then re-sends what a stop cut short. */
  load(): Promise<void> {
    return this.#serially(async () => {
      await this.#reload();
      await this.#catchUp();
      await this.#resendUntold();
    });
  }

  /** Evaluates runs just stored; resolves once incidents are written and messages handed over. */
  evaluate(runs: readonly RunRecord[]): Promise<void> {
    return this.#serially(() => this.#evaluate(runs));
  }

  /**
   * Reads the availability principles' error budgets over the burn windows and opens or resolves their
   * incidents. `due`: only when the last reading is at least `everyMs` old (after stored runs).
   */
  checkBurnRates(options: { everyMs?: number } = {}): Promise<void> {
    // A reading that fails is logged and tried again at the next: the timer must keep going.
    return this.#serially(() =>
      this.#checkBurnRates(options.everyMs ?? 0).catch((error: unknown) => {
        this.#deps.logger.error('the burn-rate rule could not read the error budgets', { error });
      }),
    );
  }

  /** Looks for agents gone silent, and back. */
  checkAgents(): Promise<void> {
    return this.#serially(() => this.#checkAgents());
  }

  /**
   * Sends what has fallen due: messages whose channel's quiet hours have ended, escalation steps,
   * reminders, and refreshes of alerts to Alertmanager.
   */
  followUp(): Promise<void> {
    return this.#serially(() => this.#followUp());
  }

  /** Tells the channels that an incident was acknowledged (the record is already written). */
  acknowledged(incident: IncidentRow): Promise<void> {
    for (const open of this.#open.byGrouping.values())
      if (open.row.id === incident.id) open.row = { ...open.row, acknowledgedAt: incident.acknowledgedAt };
    return this.#serially(() =>
      this.#send([
        {
          incidentId: incident.id,
          event: 'acknowledged',
          at: incident.acknowledgedAt ?? this.#deps.clock.now(),
        },
      ]),
    );
  }

  /** Records in the incident's timeline where one of its messages ended up: delivered, or given up. */
  delivered(settled: Settled): Promise<void> {
    return this.#serially(async () => {
      const { message } = settled;
      if (message.event === 'test' || message.refresh || !(await this.#deps.store.incident(message.alert.id)))
        return;
      await this.#deps.store.write((tx) =>
        tx.event(message.alert.id, {
          at: settled.at,
          kind: 'delivered',
          detail: {
            event: message.event,
            channel: settled.channel,
            delivered: settled.state === 'sent',
            attempts: settled.attempts,
            ...(settled.reason ? { reason: settled.reason } : {}),
          },
        }),
      );
    });
  }

  /** Resolves when everything asked so far is done. */
  idle(): Promise<void> {
    return this.#queue;
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #reload(): Promise<void> {
    const { store } = this.#deps;
    this.#series.clear();
    this.#followUps.clear();
    for (const row of await store.series()) this.#series.set(keyOf(row), row);
    const open = await store.open();
    const members = new Map<string, MemberRow[]>();
    for (const incident of open) members.set(incident.id, await store.members(incident.id));
    this.#open.load(open, members);
  }

  /**
   * Runs stored just before a stop (even kill -9) whose evaluation the stop cut short: read back for each
   * series since the last run it counted, and evaluated now, as they would have been.
   */
  async #catchUp(): Promise<void> {
    const { results, clock } = this.#deps;
    if (!results || !this.#estate) return;
    const since = new Map<string, number>();
    for (const row of this.#series.values())
      since.set(row.checkId, Math.min(since.get(row.checkId) ?? row.lastStartedAt, row.lastStartedAt));
    const missed: RunRecord[] = [];
    for (const [checkId, from] of since) {
      const page = await results.listResults(checkId, {
        from: from + 1,
        to: clock.now() + 1,
        limit: CATCH_UP_LIMIT,
      });
      missed.push(...page.items);
    }
    if (missed.length > 0) await this.#evaluate(missed, { catchingUp: true });
  }

  async #evaluate(runs: readonly RunRecord[], options: { catchingUp?: boolean } = {}): Promise<void> {
    const estate = this.#estate;
    if (!estate || runs.length === 0) return;
    const now = this.#deps.clock.now();
    const settings = this.#settings;
    const known = new Set(estate.checks.map((c) => c.id));
    // Each series in the order its runs started: a backlog arrives late and in bulk, perhaps out of order.
    const ordered = runs.filter((r) => known.has(r.checkId)).sort((a, b) => a.startedAt - b.startedAt);
    // Runs from a site are its agent heard again (a backlog arriving): its series count from now on.
    for (const run of ordered) this.#silent.delete(run.vantagePoint);
    const findings = settings.certificate.enabled ? certificateFindings(ordered) : new Map();
    const failures = settings.failures.enabled;
    const slower = new Set<string>();
    for (const run of ordered) if (this.#latency.add(run)) slower.add(run.checkId);
    if (ordered.length === 0 || (!failures && findings.size === 0 && slower.size === 0)) return;
    const scene = this.#scene(estate, now, failures ? await this.#windowsFor(estate, ordered, now) : []);
    const notes: Note[] = [];
    await this.#write((tx) => {
      const changed = new Map<string, SeriesRow>();
      let pending: SeriesEvent[] = [];
      let moment: number | undefined;
      // Grouped at each moment something changed, as it then stood: a backlog showing an outage already
      // over opens its incident and resolves it, in the order it happened.
      const group = () => {
        if (pending.length > 0)
          groupFailures(
            tx,
            this.#open,
            { scene, settings, events: pending, series: this.#series, silent: this.#silent },
            notes,
          );
        pending = [];
      };
      for (const run of failures ? ordered : []) {
        if (run.startedAt !== moment) group();
        moment = run.startedAt;
        const key = keyOf(run);
        const before = this.#series.get(key);
        // Older than what was already counted: a run the series has gone past cannot be counted in order.
        if (before && run.startedAt <= before.lastStartedAt) continue;
        const { row, change } = advance(before, run, settings.failures);
        this.#series.set(key, row);
        changed.set(key, row);
        if (change)
          pending.push({
            series: row,
            change,
            at: run.startedAt,
            backlogReceivedAt: !options.catchingUp && now - run.startedAt > BACKLOG_AFTER_MS ? now : null,
          });
      }
      group();
      tx.saveSeries([...changed.values()]);
      checkCertificates(tx, this.#open, { scene, settings, findings }, notes);
      if (slower.size > 0)
        judgeLatency(
          tx,
          this.#open,
          {
            scene,
            settings: settings.latency,
            windows: this.#latency,
            checks: slower,
            silent: this.#silent,
            at: (ordered[ordered.length - 1] as RunRecord).startedAt,
          },
          notes,
        );
    });
    await this.#send(notes);
  }

  async #forgetRetired(estate: Estate): Promise<void> {
    const places = new Map(estate.checks.map((c) => [c.id, new Set(c.from ?? [SERVER_VANTAGE_POINT])]));
    const sites = new Set(estate.sites.map((s) => s.id));
    const retired = [...this.#series.values()].filter((s) => !places.get(s.checkId)?.has(s.vantagePoint));
    const gone = [...this.#open.byGrouping.values()].filter(({ row }) => {
      const [kind, id = ''] = row.grouping.split(':');
      return (kind === 'certificate' && !places.has(id)) || (kind === 'agent' && !sites.has(id));
    });
    // A latency incident's series the estate no longer runs leave it; one left with none resolves.
    const slowGone = [...this.#open.byGrouping.values()].filter(
      ({ row, members }) =>
        row.rule === LATENCY &&
        [...members.values()].some((m) => !places.get(m.checkId)?.has(m.vantagePoint)),
    );
    if (retired.length === 0 && gone.length === 0 && slowGone.length === 0) return;
    const now = this.#deps.clock.now();
    const notes: Note[] = [];
    const why = { why: 'what it covered was taken out of the estate' };
    await this.#write((tx) => {
      for (const series of retired) {
        const key = keyOf(series);
        this.#series.delete(key);
        tx.dropSeries(series.checkId, series.vantagePoint);
        const left = this.#open.leave(tx, key, now);
        if (left && left.members.size === 0) this.#open.resolve(tx, left, now, notes, why);
      }
      for (const incident of gone) this.#open.resolve(tx, incident, now, notes, why);
      for (const incident of slowGone) {
        for (const [key, m] of incident.members)
          if (!places.get(m.checkId)?.has(m.vantagePoint)) {
            incident.members.delete(key);
            tx.leave(incident.row.id, m.checkId, m.vantagePoint, now);
          }
        if (incident.members.size === 0) this.#open.resolve(tx, incident, now, notes, why);
      }
    });
    await this.#send(notes);
  }

  async #checkBurnRates(everyMs: number): Promise<void> {
    const estate = this.#estate;
    const { results, clock, maintenance } = this.#deps;
    const now = clock.now();
    if (!estate || !results || now - this.#burnAt < everyMs) return;
    this.#burnAt = now;
    const settings = this.#settings.burnRate;
    const principles = burnPrinciples(estate, settings);
    const gone = [...this.#open.byGrouping.values()].filter(
      ({ row }) =>
        row.grouping.startsWith('burn:') && !principles.some((p) => `burn:${p.id}` === row.grouping),
    );
    const asked = new Map(
      principles.map((p) => [p, pairsFor(p).flatMap((pair) => [now - pair.longMs, now - pair.shortMs])]),
    );
    const measured =
      asked.size > 0 ? await measureBurn(estate, { results, maintenance }, asked, now) : new Map();
    const scene = this.#scene(estate, now, []);
    const notes: Note[] = [];
    await this.#write((tx) => {
      for (const incident of gone)
        this.#open.resolve(tx, incident, now, notes, {
          why: 'the burn-rate rule no longer reads its principle',
        });
      for (const [principle, tallies] of measured) {
        const judged = verdicts(principle, tallies, now, settings.minBadRuns);
        judgeBurn(tx, this.#open, { scene, settings, principle, verdicts: judged, tallies }, notes);
      }
    });
    await this.#send(notes);
  }

  async #checkAgents(): Promise<void> {
    const estate = this.#estate;
    if (!estate) return;
    const now = this.#deps.clock.now();
    const beats = await this.#deps.agents.heartbeats();
    const notes: Note[] = [];
    const scene = this.#scene(estate, now, []);
    await this.#write((tx) => {
      this.#silent = checkAgents(tx, this.#open, { scene, settings: this.#settings, beats }, notes);
    });
    await this.#send(notes);
  }

  /** Writes in one transaction; should it fail, memory is read back from the store so the two agree. */
  async #write(work: Parameters<IncidentsStore['write']>[0]): Promise<void> {
    try {
      await this.#deps.store.write(work);
    } catch (error) {
      await this.#reload();
      throw error;
    }
  }

  /** The maintenance windows over the time these runs and the streaks they lengthen cover. */
  async #windowsFor(estate: Estate, ordered: readonly RunRecord[], now: number): Promise<Window[]> {
    if (!ordered.some((run) => run.state === 'fail')) return [];
    let from = (ordered[0] as RunRecord).startedAt;
    for (const run of ordered) {
      const streak = this.#series.get(keyOf(run))?.streak;
      if (streak) from = Math.min(from, Date.parse(streak.startedAt));
    }
    return allWindows(estate, this.#deps.maintenance, from, now + 1);
  }

  #scene(estate: Estate, now: number, windows: readonly Window[]): Scene {
    return {
      estate,
      now,
      maintenanceOf: (checkId, vantagePoint) => {
        const check = estate.checks.find((c) => c.id === checkId);
        if (!check || windows.length === 0) return [];
        const system = estate.systems.find((s) => s.id === check.system);
        const site = estate.sites.find((s) => s.id === vantagePoint);
        return windowsCovering(windows, { check, ...(system ? { system } : {}), ...(site ? { site } : {}) });
      },
    };
  }

  /** Hands each message to the notifier, channel by channel, and records each hand-over in the timeline. */
  async #send(notes: readonly Note[]): Promise<void> {
    const { store, notifier, logger, clock } = this.#deps;
    const estate = this.#estate;
    if (!estate || notes.length === 0) return;
    if (!notifier) {
      logger.warn('no notification outbox: incidents are recorded but nobody is told', {
        messages: notes.length,
      });
      return;
    }
    for (const note of notes) {
      const incident = await store.incident(note.incidentId);
      if (!incident) continue;
      const members = await store.members(note.incidentId);
      const baseUrl = this.#settings.dashboardUrl ?? this.#deps.baseUrl();
      const context = { estate, baseUrl, ackKey: this.#deps.ackKey, now: clock.now() };
      const detail = alertDetail(incident, members, context);
      const told: { channel: string; handedOver: boolean }[] = [];
      const held: { channel: string; message: AlertMessage; until: number }[] = [];
      for (const channel of note.channels ?? (await this.#channelsOf(estate, incident))) {
        const message = alertMessage(note.event, note.at, channel, detail, note.nth);
        if (note.refresh) message.refresh = true;
        const until = await this.#heldUntil(incident, channel);
        if (until !== undefined) {
          // A reminder or refresh is about now: the message held for the morning says it all.
          if (note.event !== 'reminder') held.push({ channel, message, until });
          continue;
        }
        try {
          await notifier.notify(channel, message);
          told.push({ channel, handedOver: true });
        } catch (error) {
          logger.error('the notification outbox refused a message', {
            incident: incident.id,
            channel,
            error,
          });
          // The reason stays in the log (which redacts secrets): a channel's error may quote its address.
          told.push({ channel, handedOver: false });
        }
      }
      const at = clock.now();
      await store.write((tx) => {
        if (note.record) tx.event(incident.id, { at: note.at, ...note.record });
        for (const h of held)
          if (
            tx.hold({
              incidentId: incident.id,
              channel: h.channel,
              message: h.message,
              heldAt: at,
              until: h.until,
            })
          )
            tx.event(incident.id, {
              at,
              kind: 'held',
              detail: {
                event: note.event,
                channel: h.channel,
                until: h.until,
                text: `held until ${londonTimeText(h.until)}`,
              },
            });
        if (!note.refresh)
          for (const t of told)
            tx.event(incident.id, { at, kind: 'notified', detail: { event: note.event, ...t } });
      });
      if (incident.resolvedAt !== null) this.#followUps.delete(incident.id);
    }
  }

  /** The incident's own channels, and those its escalation has reached. */
  async #channelsOf(estate: Estate, incident: IncidentRow): Promise<string[]> {
    const own = channelsFor(estate, this.#settings, incident);
    const state = await this.#stateOf(incident.id);
    const known = new Set(estate.channels.map((c) => c.id));
    const reached = [...state.escalatedTo].filter((c) => known.has(c) && !own.includes(c));
    return [...own, ...reached];
  }

  /**
   * When a message to this channel must wait for: the end of its quiet hours unless the incident is
   * critical, or, while an earlier message of the incident waits there, the same moment, so the two
   * arrive in order (a resolved never before its opened).
   */
  async #heldUntil(incident: IncidentRow, channel: string): Promise<number | undefined> {
    const earlier = await this.#deps.store.heldFor(incident.id, channel);
    const quiet = this.#settings.routes.find((r) => r.channel === channel)?.quietHours;
    const until =
      quiet && incident.severity !== 'critical' ? quietUntil(quiet, this.#deps.clock.now()) : undefined;
    if (earlier === undefined) return until;
    return Math.max(earlier.until, until ?? 0);
  }

  async #followUp(): Promise<void> {
    const estate = this.#estate;
    if (!estate) return;
    const now = this.#deps.clock.now();
    await this.#releaseHeld(now);
    const notes: Note[] = [];
    const alertmanager = new Set(estate.channels.filter((c) => c.type === 'alertmanager').map((c) => c.id));
    for (const { row } of [...this.#open.byGrouping.values()]) {
      if (row.inMaintenance) continue;
      const state = await this.#stateOf(row.id);
      const channels = (await this.#channelsOf(estate, row)).filter((c) => alertmanager.has(c));
      notes.push(...dueFollowUps(row, state, this.#settings, now, channels));
    }
    await this.#send(notes);
  }

  async #stateOf(id: string): Promise<FollowUps> {
    let state = this.#followUps.get(id);
    if (!state) {
      state = followUpsOf(await this.#deps.store.events(id));
      this.#followUps.set(id, state);
    }
    return state;
  }

  /**
   * Hands messages whose quiet hours have ended to the outbox, in the order they were held, each
   * forgotten only once handed over: one handed over twice (a stop in between) is dropped by its key.
   */
  async #releaseHeld(now: number): Promise<void> {
    const { store, notifier, logger } = this.#deps;
    if (!notifier) return;
    for (const held of await store.heldDue(now)) {
      try {
        await notifier.notify(held.channel, held.message);
      } catch (error) {
        logger.error('the notification outbox refused a held message', { channel: held.channel, error });
        return; // Kept, and tried again at the next look, before anything held after it.
      }
      await store.write((tx) => {
        tx.release(held.id);
        tx.event(held.incidentId, {
          at: now,
          kind: 'notified',
          detail: {
            event: held.message.event,
            channel: held.channel,
            handedOver: true,
            heldSince: held.heldAt,
          },
        });
      });
    }
  }

  /**
   * An incident opened just before a stop (or while the outbox refused it) may not have been handed over:
   * sent again at the start (the same idempotency key, so a receiver that had it drops the repeat).
   */
  async #resendUntold(): Promise<void> {
    const notes: Note[] = [];
    for (const { row } of this.#open.byGrouping.values()) {
      if (row.inMaintenance) continue;
      const events = await this.#deps.store.events(row.id);
      const told = events.some(
        (e) => e.kind === 'notified' && e.detail.event === 'opened' && e.detail.handedOver,
      );
      if (!told) notes.push({ incidentId: row.id, event: 'opened', at: row.openedAt });
    }
    await this.#send(notes);
  }
}
