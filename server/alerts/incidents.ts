import type { Span } from '../../principles/intervals.js';
import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Estate } from '../config/schema.js';
import type {
  Evidence,
  IncidentEvent,
  IncidentRow,
  IncidentsWrite,
  MemberRow,
  NewIncident,
  SeriesRow,
} from '../store/incidents.js';
import { lookupOf } from './estate-lookup.js';
import type { AlertEvent } from './message.js';
import { failingWord, plural, sinceText } from './wording.js';

/** An open incident as the rules keep it in memory: its row and the series it covers now. */
export interface OpenIncident {
  row: IncidentRow;
  /** By series key; only those still covered (not recovered, not moved to another incident). */
  members: Map<string, MemberRow>;
}

/** A message to send once the transaction that made it has committed. */
export interface Note {
  incidentId: string;
  event: AlertEvent;
  at: number;
  /** These channels rather than the incident's own (an escalation step's). */
  channels?: string[];
  /** Tells this message's key from the same event's others (follow-ups.ts). */
  nth?: string;
  /** Sent only to keep a receiver's alert firing (message.ts). */
  refresh?: true;
  /** The timeline entry that says why it is sent, written with the hand-over. */
  record?: Pick<IncidentEvent, 'kind' | 'detail'>;
}

/** What the incident bookkeeping needs to know for one evaluation. */
export interface Scene {
  estate: Estate;
  now: number;
  /** Maintenance that covers a series, as sorted spans, for marking an incident opened inside it. */
  maintenanceOf(checkId: string, vantagePoint: string): Span[];
}

/** The rule whose incidents group series; a series is in at most one of its incidents at a time. */
export const FAILURES = 'consecutive-failures';

export const keyOf = (m: { checkId: string; vantagePoint: string }) => `${m.checkId}\u0000${m.vantagePoint}`;

/**
 * The open incidents, one per grouping, and which incident covers each series. Every change is written
 * through the transaction it is given and mirrored here; the caller reloads from the store if the
 * transaction fails, so memory never runs ahead of the database.
 */
export class OpenIncidents {
  readonly byGrouping = new Map<string, OpenIncident>();
  readonly #coveredBy = new Map<string, string>();

  load(incidents: readonly IncidentRow[], members: ReadonlyMap<string, readonly MemberRow[]>): void {
    this.byGrouping.clear();
    this.#coveredBy.clear();
    for (const row of incidents) {
      const active = (members.get(row.id) ?? []).filter((m) => m.leftAt === null);
      this.byGrouping.set(row.grouping, { row, members: new Map(active.map((m) => [keyOf(m), m])) });
      if (row.rule === FAILURES) for (const m of active) this.#coveredBy.set(keyOf(m), row.grouping);
    }
  }

  coveredBy(key: string): string | undefined {
    return this.#coveredBy.get(key);
  }

  /** Opens an incident covering these series and records it in its timeline. */
  open(
    tx: IncidentsWrite,
    incident: Omit<NewIncident, 'title'> & { title?: string },
    series: readonly SeriesRow[],
    scene: Scene,
    notes: Note[],
    detail: Record<string, unknown> = {},
  ): OpenIncident {
    const draft: IncidentRow = {
      ...incident,
      title: '',
      id: '',
      resolvedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    const members = new Map(series.map((s) => [keyOf(s), memberOf(s, incident.startedAt)]));
    draft.title = incident.title ?? titleOf(draft, [...members.values()], scene);
    const id = tx.open({ ...incident, title: draft.title });
    const open: OpenIncident = { row: { ...draft, id }, members };
    this.byGrouping.set(open.row.grouping, open);
    for (const [key, member] of members) {
      tx.join(id, member);
      if (incident.rule === FAILURES) this.#coveredBy.set(key, open.row.grouping);
    }
    tx.event(id, {
      at: scene.now,
      kind: 'opened',
      detail: {
        title: draft.title,
        organisation: incident.organisation,
        role: incident.role,
        series: [...members.values()].map(({ checkId, vantagePoint }) => ({ checkId, vantagePoint })),
        evidence: incident.evidence,
        ...(incident.backlogReceivedAt !== null
          ? { fromBacklog: { receivedAt: incident.backlogReceivedAt } }
          : {}),
        ...(incident.inMaintenance ? { inMaintenance: true } : {}),
        ...detail,
      },
    });
    // Opened inside maintenance: marked, and told to nobody (nor its end).
    if (!incident.inMaintenance) notes.push({ incidentId: id, event: 'opened', at: scene.now });
    return open;
  }

  /** Adds series to an open incident: its title and evidence grow with it. */
  join(
    tx: IncidentsWrite,
    open: OpenIncident,
    series: readonly SeriesRow[],
    scene: Scene,
    why: string,
    more: Record<string, unknown> = {},
  ): void {
    for (const s of series) {
      const member = memberOf(s, scene.now);
      open.members.set(keyOf(s), member);
      this.#coveredBy.set(keyOf(s), open.row.grouping);
      tx.join(open.row.id, member);
    }
    const evidence = mergeEvidence(open.row.evidence, series);
    const title = titleOf(open.row, [...open.members.values()], scene);
    open.row = { ...open.row, evidence, title };
    tx.update(open.row.id, { evidence, title });
    tx.event(open.row.id, {
      at: scene.now,
      kind: 'changed',
      detail: {
        why,
        title,
        joined: series.map(({ checkId, vantagePoint }) => ({ checkId, vantagePoint })),
        ...more,
      },
    });
  }

  /** Takes a series out of its incident (recovered, or moved); false when none covered it. */
  leave(tx: IncidentsWrite, key: string, at: number): OpenIncident | undefined {
    const grouping = this.#coveredBy.get(key);
    const open = grouping === undefined ? undefined : this.byGrouping.get(grouping);
    this.#coveredBy.delete(key);
    const member = open?.members.get(key);
    if (!open || !member) return undefined;
    open.members.delete(key);
    tx.leave(open.row.id, member.checkId, member.vantagePoint, at);
    return open;
  }

  /**
   * Says again what an incident covers once series have left it, with a `changed` entry in its timeline
   * naming them: the scope narrowed, which the channels are not told (the next message says it).
   */
  narrowed(
    tx: IncidentsWrite,
    open: OpenIncident,
    left: readonly { checkId: string; vantagePoint: string }[],
    scene: Scene,
    why: string,
    more: Record<string, unknown> = {},
  ): void {
    const title = titleOf(open.row, [...open.members.values()], scene);
    if (title !== open.row.title) {
      open.row = { ...open.row, title };
      tx.update(open.row.id, { title });
    }
    tx.event(open.row.id, {
      at: scene.now,
      kind: 'changed',
      detail: {
        why,
        title,
        left: left.map(({ checkId, vantagePoint }) => ({ checkId, vantagePoint })),
        ...more,
      },
    });
  }

  /** Closes an incident; `handed-over` tells its channels it is no longer theirs rather than over. */
  resolve(
    tx: IncidentsWrite,
    open: OpenIncident,
    at: number,
    notes: Note[],
    detail: Record<string, unknown>,
    event: 'resolved' | 'handed-over' = 'resolved',
  ): void {
    for (const key of open.members.keys()) this.#coveredBy.delete(key);
    this.byGrouping.delete(open.row.grouping);
    tx.update(open.row.id, { resolvedAt: at });
    tx.event(open.row.id, { at, kind: 'resolved', detail });
    open.row = { ...open.row, resolvedAt: at };
    if (!open.row.inMaintenance) notes.push({ incidentId: open.row.id, event, at });
  }
}

function memberOf(series: SeriesRow, fallback: number): Omit<MemberRow, 'leftAt'> & { leftAt: null } {
  const since = series.streak ? Date.parse(series.streak.startedAt) : fallback;
  return { checkId: series.checkId, vantagePoint: series.vantagePoint, since, leftAt: null };
}

/** The evidence of these series: their error classes, and the earliest first failure with its phases. */
export function mergeEvidence(before: Evidence | undefined, series: readonly SeriesRow[]): Evidence {
  const classes = new Set(before?.errorClasses ?? []);
  let first = before?.firstFailure;
  let phases = before?.phases;
  for (const s of series) {
    if (!s.streak) continue;
    if (s.streak.errorClass) classes.add(s.streak.errorClass);
    if (!first || s.streak.startedAt < first.startedAt) {
      const { phases: own, ...failure } = s.streak;
      first = failure;
      phases = own;
    }
  }
  return {
    ...before,
    errorClasses: [...classes].sort(),
    ...(first ? { firstFailure: first } : {}),
    ...(phases ? { phases } : {}),
  };
}

/**
 * "Marsh Lane Centre: 5 systems unreachable since 09:42"; "Electronic patient record failing from 3 of 4
 * sites since 09:42": the places failing out of those the covered checks are run from.
 */
export function titleOf(
  row: Pick<IncidentRow, 'grouping' | 'subject' | 'startedAt' | 'evidence' | 'title'>,
  members: readonly MemberRow[],
  scene: Scene,
): string {
  const { estate } = scene;
  const [kind] = row.grouping.split(':');
  if (kind !== 'system' && kind !== 'site') return row.title;
  const since = sinceText(row.startedAt, scene.now);
  const word = failingWord(row.evidence.errorClasses);
  if (kind === 'site') {
    const site = lookupOf(estate).site(row.subject.id);
    const systems = new Set(members.map((m) => lookupOf(estate).check(m.checkId)?.system ?? m.checkId));
    const only = systems.size === 1 ? estate.systems.find((s) => systems.has(s.id)) : undefined;
    const what = only ? only.name : plural(systems.size, 'system');
    return `${site?.name ?? row.subject.id}: ${what} ${word} since ${since}`;
  }
  const system = lookupOf(estate).system(row.subject.id);
  // Out of the places the covered checks run from: a check run from 3 sites failing at all 3 is "3 of 3",
  // though another check of the system runs from 4.
  const covered = new Set(members.map((m) => m.checkId));
  const places = new Set(
    estate.checks
      .filter((c) => c.system === row.subject.id && (covered.size === 0 || covered.has(c.id)))
      .flatMap((c) => c.from ?? [SERVER_VANTAGE_POINT]),
  );
  const failing = new Set(members.map((m) => m.vantagePoint));
  const noun = places.has(SERVER_VANTAGE_POINT) ? 'vantage points' : 'sites';
  return `${system?.name ?? row.subject.id} ${word} from ${failing.size} of ${places.size} ${noun} since ${since}`;
}
