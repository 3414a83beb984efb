import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Check } from '../config/schema.js';
import type { IncidentsWrite, SeriesRow } from '../store/incidents.js';
import type { AlertSettings } from './config.js';
import { lookupOf } from './estate-lookup.js';
import { closeHandedOver, noteHandOver } from './hand-over.js';
import {
  FAILURES,
  keyOf,
  mergeEvidence,
  type Note,
  type OpenIncident,
  type OpenIncidents,
  type Scene,
} from './incidents.js';
import { localise, type PointState } from './localise.js';
import { behind, type RoundWaits } from './localise-grace.js';

/** A series that met the failures rule or recovered from it, with the run that did it. */
export interface SeriesEvent {
  series: SeriesRow;
  change: 'failing' | 'recovered';
  at: number;
  /** When the run that did it arrived, if it came from a backlog (long after it ran). */
  backlogReceivedAt: number | null;
}

export interface FailureInput {
  scene: Scene;
  settings: AlertSettings;
  events: readonly SeriesEvent[];
  /** Every series' counters now. */
  series: ReadonlyMap<string, SeriesRow>;
  /** Sites whose agents are silent: their series are unknown, neither up nor down. */
  silent: ReadonlySet<string>;
  /**
   * Series waiting for the rest of their round before a host's incident; absent, none waits. With
   * `startsWaits` false (runs read back at a start), waits under way go on but none starts.
   */
  rounds?: { waits: RoundWaits; graceMs: (check: Check) => number; startsWaits?: boolean };
}

/**
 * Groups failing series into incidents by whose problem they are. A check failing from at least half its
 * vantage points is its system's owner's (`system:ID`, one incident for every site); fewer, each site's
 * host's (`site:ID`, one incident for every system failing there). A series stays in the incident it
 * joined until it recovers, except that a host's series go to the owner's incident once its check fails
 * from at least half: handed over, and said so in both timelines. An incident with no series left resolves.
 */
export function groupFailures(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: FailureInput,
  notes: Note[],
): void {
  const { scene } = input;
  const recovered = new Map<OpenIncident, SeriesRow[]>();
  for (const event of input.events) {
    if (event.change !== 'recovered') continue;
    const left = open.leave(tx, keyOf(event.series), event.at);
    if (left && left.members.size === 0)
      open.resolve(tx, left, event.at, notes, { why: 'every series it covered has recovered' });
    else if (left) push(recovered, left, event.series);
  }
  for (const [incident, series] of recovered)
    if (incident.row.resolvedAt === null) open.narrowed(tx, incident, series, scene, 'recovered there');

  if (input.rounds)
    for (const key of [...input.rounds.waits.keys()])
      if (!input.series.get(key)?.failing) input.rounds.waits.forget(key);
  const fresh = new Set(
    input.rounds?.startsWaits === false
      ? []
      : input.events
          .filter((e) => e.change === 'failing' && e.backlogReceivedAt === null)
          .map((e) => keyOf(e.series)),
  );
  const joins = new Map<string, SeriesRow[]>();
  const moves = new Map<string, { to: string; series: SeriesRow }[]>();
  for (const [checkId, failing] of failingByCheck(input.series)) {
    // Series in their system owner's incident stay there until they recover: nothing to place. (A batch
    // is grouped at each moment a run started: a thousand failing checks must not be placed again each time.)
    if (failing.every((s) => open.coveredBy(keyOf(s))?.startsWith('system:'))) continue;
    const check = lookupOf(scene.estate).check(checkId);
    const system = check && lookupOf(scene.estate).system(check.system);
    if (!check || !system) continue;
    const points = (check.from ?? [SERVER_VANTAGE_POINT]).map((vantagePoint) => ({
      vantagePoint,
      host: lookupOf(scene.estate).site(vantagePoint)?.host ?? null,
      state: stateOf(input, checkId, vantagePoint),
    }));
    const whose = new Map(localise(system.owner, points).map((a) => [a.vantagePoint, a]));
    for (const series of failing) {
      const attributed = whose.get(series.vantagePoint);
      // The Vantage server has no host: what it alone sees is the system owner's to look at.
      const target =
        !attributed || attributed.role === 'owner' || attributed.organisation === null
          ? `system:${system.id}`
          : `site:${series.vantagePoint}`;
      const key = keyOf(series);
      const current = open.coveredBy(key);
      if (current === undefined && target.startsWith('site:') && waits(input, check, series, fresh)) continue;
      input.rounds?.waits.forget(key);
      if (current === target || current?.startsWith('system:')) continue;
      if (current === undefined) push(joins, target, series);
      else push(moves, current, { to: target, series });
    }
  }

  for (const [from, moving] of moves) escalate(tx, open, input, from, moving, notes);
  for (const [grouping, series] of joins) {
    const existing = open.byGrouping.get(grouping);
    if (existing) open.join(tx, existing, series, scene, 'failing there too');
    else openFor(tx, open, input, grouping, series, notes);
  }
}

/** Whether a series bound for its host's incident waits for the other vantage points' runs of its round. */
function waits(input: FailureInput, check: Check, series: SeriesRow, fresh: ReadonlySet<string>): boolean {
  const { rounds } = input;
  if (!rounds) return false;
  const others = (check.from ?? [])
    .filter((point) => point !== series.vantagePoint && !input.silent.has(point))
    .map((point) => input.series.get(keyOf({ checkId: check.id, vantagePoint: point })))
    .filter((row): row is SeriesRow => row !== undefined);
  return rounds.waits.holds(
    keyOf(series),
    others.some((other) => behind(other, series)),
    {
      now: input.scene.now,
      graceMs: rounds.graceMs(check),
      fresh: fresh.has(keyOf(series)),
    },
  );
}

function failingByCheck(series: ReadonlyMap<string, SeriesRow>): Map<string, SeriesRow[]> {
  const byCheck = new Map<string, SeriesRow[]>();
  for (const row of series.values()) if (row.failing) push(byCheck, row.checkId, row);
  return byCheck;
}

function stateOf(input: FailureInput, checkId: string, vantagePoint: string): PointState {
  if (input.silent.has(vantagePoint)) return 'unknown';
  const row = input.series.get(keyOf({ checkId, vantagePoint }));
  if (!row) return 'unknown';
  return row.failing ? 'down' : 'up';
}

function push<K, T>(map: Map<K, T[]>, key: K, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function responsibleFor(input: FailureInput, grouping: string) {
  const [kind, id = ''] = grouping.split(':');
  if (kind === 'site') {
    const host = lookupOf(input.scene.estate).site(id)?.host ?? id;
    return { organisation: host, role: 'host' as const, subject: { kind: 'site' as const, id } };
  }
  const owner = lookupOf(input.scene.estate).system(id)?.owner ?? id;
  return { organisation: owner, role: 'owner' as const, subject: { kind: 'system' as const, id } };
}

function openFor(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: FailureInput,
  grouping: string,
  series: readonly SeriesRow[],
  notes: Note[],
  detail: Record<string, unknown> = {},
): OpenIncident {
  const { scene } = input;
  const evidence = mergeEvidence(undefined, series);
  const startedAt = Math.min(...series.map((s) => (s.streak ? Date.parse(s.streak.startedAt) : scene.now)));
  const backlog = input.events
    .filter((e) => e.change === 'failing' && series.includes(e.series) && e.backlogReceivedAt !== null)
    .map((e) => e.backlogReceivedAt as number);
  const inMaintenance = series.some((s) =>
    scene
      .maintenanceOf(s.checkId, s.vantagePoint)
      .some((span) => span.from <= startedAt && startedAt < span.to),
  );
  return open.open(
    tx,
    {
      rule: FAILURES,
      grouping,
      severity: input.settings.failures.severity,
      ...responsibleFor(input, grouping),
      startedAt,
      openedAt: scene.now,
      backlogReceivedAt: backlog.length > 0 ? Math.max(...backlog) : null,
      inMaintenance,
      evidence,
    },
    series,
    scene,
    notes,
    detail,
  );
}

/**
 * Series of a host's incident whose checks now fail from at least half their vantage points are the
 * owner's: handed over to the owner's incident (opened for them, or joined), each side's evidence and
 * timeline naming the other. A host's incident left with none is closed as handed over, and its channels
 * told it is no longer theirs; one with others left says what it still covers.
 */
function escalate(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: FailureInput,
  from: string,
  moving: readonly { to: string; series: SeriesRow }[],
  notes: Note[],
): void {
  const source = open.byGrouping.get(from);
  if (!source) return;
  const { scene } = input;
  const why = 'now failing from at least half of the vantage points: the system owner’s';
  for (const to of new Set(moving.map((m) => m.to))) {
    const series = moving.filter((m) => m.to === to).map((m) => m.series);
    for (const s of series) open.leave(tx, keyOf(s), scene.now);
    const handed = {
      handedOver: { from: { incident: source.row.id, organisation: source.row.organisation } },
    };
    let into = open.byGrouping.get(to);
    if (into) open.join(tx, into, series, scene, `handed over by incident ${source.row.id}`, handed);
    else into = openFor(tx, open, input, to, series, notes, handed);
    const sides = noteHandOver(tx, source, into, scene.now);
    tx.event(source.row.id, {
      at: scene.now,
      kind: 'escalated',
      detail: {
        why,
        moved: series.map(({ checkId, vantagePoint }) => ({ checkId, vantagePoint })),
        to: { incident: into.row.id, organisation: into.row.organisation, role: into.row.role },
        handedOver: { to: sides.to },
      },
    });
  }
  if (source.members.size === 0) closeHandedOver(tx, open, source, scene.now, notes, `handed over: ${why}`);
  else
    open.narrowed(
      tx,
      source,
      moving.map((m) => m.series),
      scene,
      'moved to the system owner’s incident',
    );
}
