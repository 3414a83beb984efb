import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { IncidentsWrite, SeriesRow } from '../store/incidents.js';
import type { LatencySettings } from './config.js';
import { lookupOf } from './estate-lookup.js';
import { closeHandedOver, noteHandOver } from './hand-over.js';
import { keyOf, type Note, type OpenIncident, type OpenIncidents, type Scene } from './incidents.js';
import { type LatencyRounds, latencyWaits } from './latency-grace.js';
import type { LatencyWindows } from './latency-windows.js';
import { mergedPercentile } from './latency-windows.js';
import { localise, type PointState } from './localise.js';

export const LATENCY = 'latency';

export interface LatencyInput {
  scene: Scene;
  settings: LatencySettings;
  windows: LatencyWindows;
  /** The checks whose series changed: only they are judged again. */
  checks: ReadonlySet<string>;
  /** Sites whose agents are silent: their series are unknown. */
  silent: ReadonlySet<string>;
  /** The moment the windows are judged at: the latest run counted (a backlog is judged as it ran). */
  at: number;
  /** Slow series waiting for the rest of their round before a host's incident; absent, none waits. */
  rounds?: LatencyRounds;
}

/**
 * Groups slow series like failures: slow from at least half of a check's vantage points whose latency is
 * known is the system owner's (`latency-system:ID`); fewer, each site's host's (`latency-site:ID`). A
 * series leaves its incident once its window is back at or under the target (a whole `for` of mostly
 * fast runs); a host's series whose check becomes slow from half moves to the owner's. An incident with
 * no series left resolves. The rule keeps its own membership: a series may be failing and slow at once.
 */
export function judgeLatency(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: LatencyInput,
  notes: Note[],
): void {
  const { scene, windows } = input;
  const covered = coverage(open);
  const touched = new Set<OpenIncident>();
  /** Incidents a series left for the system owner's. */
  const movedFrom = new Set<OpenIncident>();
  /** The series that left each incident, and those that joined it, for its `changed` entry. */
  const left = new Map<OpenIncident, { checkId: string; vantagePoint: string }[]>();
  const joined = new Map<OpenIncident, { checkId: string; vantagePoint: string }[]>();
  const note = (map: typeof left, incident: OpenIncident, checkId: string, vantagePoint: string) =>
    map.set(incident, [...(map.get(incident) ?? []), { checkId, vantagePoint }]);
  for (const checkId of input.checks) {
    const check = lookupOf(scene.estate).check(checkId);
    const system = check && lookupOf(scene.estate).system(check.system);
    if (!check || !system) continue;
    const points = (check.from ?? [SERVER_VANTAGE_POINT]).map((vantagePoint) => {
      const key = keyOf({ checkId, vantagePoint });
      const latency = input.silent.has(vantagePoint) ? 'unknown' : windows.stateOf(key, input.at);
      // A few slow runs are not slow there: the point counts as answering in time for whose it is.
      const state: PointState = latency === 'slow' ? 'down' : latency === 'unknown' ? 'unknown' : 'up';
      return {
        vantagePoint,
        key,
        latency,
        host: lookupOf(scene.estate).site(vantagePoint)?.host ?? null,
        state,
      };
    });
    const whose = new Map(localise(system.owner, points).map((a) => [a.vantagePoint, a]));
    for (const point of points) {
      const current = covered.get(point.key);
      if (point.state !== 'down') input.rounds?.waits.forget(point.key);
      if (point.latency === 'fast' && current) {
        leave(tx, current, point.key, input.at);
        touched.add(current);
        note(left, current, checkId, point.vantagePoint);
        continue;
      }
      if (point.state !== 'down') continue;
      const attributed = whose.get(point.vantagePoint);
      const grouping =
        !attributed || attributed.role === 'owner' || attributed.organisation === null
          ? `latency-system:${system.id}`
          : `latency-site:${point.vantagePoint}`;
      if (
        !current &&
        grouping.startsWith('latency-site:') &&
        latencyWaits(input.rounds, windows, check, point.key, points, scene.now)
      )
        continue;
      input.rounds?.waits.forget(point.key);
      // Once the owner's, a series stays so until it is fast again (as failures do).
      if (
        current &&
        (current.row.grouping === grouping || current.row.grouping.startsWith('latency-system:'))
      )
        continue;
      const from = current;
      if (from) {
        leave(tx, from, point.key, input.at);
        touched.add(from);
        movedFrom.add(from);
        note(left, from, checkId, point.vantagePoint);
      }
      const series = seriesOf(checkId, point.vantagePoint, scene.now);
      let into = open.byGrouping.get(grouping);
      if (into) {
        into.members.set(point.key, { ...series, since: scene.now, leftAt: null });
        tx.join(into.row.id, { checkId, vantagePoint: point.vantagePoint, since: scene.now });
        note(joined, into, checkId, point.vantagePoint);
      } else into = openFor(tx, open, input, grouping, series, notes);
      if (from) noteHandOver(tx, from, into, scene.now);
      covered.set(point.key, into);
      touched.add(into);
    }
  }
  for (const incident of touched) {
    if (incident.row.resolvedAt !== null) continue;
    if (incident.members.size === 0 && movedFrom.has(incident))
      closeHandedOver(
        tx,
        open,
        incident,
        input.at,
        notes,
        'slow from at least half of the vantage points now: handed over to the system owner’s incident',
      );
    else if (incident.members.size === 0)
      open.resolve(tx, incident, input.at, notes, {
        why: `every series it covered is back at or under its target over the last ${minutesOf(input.settings.forMs)}`,
      });
    else {
      retitle(tx, incident, input);
      const change = { joined: joined.get(incident), left: left.get(incident) };
      if (change.joined || change.left)
        tx.event(incident.row.id, {
          at: scene.now,
          kind: 'changed',
          detail: {
            why: change.joined ? 'slow there too' : 'back at or under its target there',
            title: incident.row.title,
            ...(change.joined ? { joined: change.joined } : {}),
            ...(change.left ? { left: change.left } : {}),
          },
        });
    }
  }
}

/** Which open latency incident covers each series. */
function coverage(open: OpenIncidents): Map<string, OpenIncident> {
  const covered = new Map<string, OpenIncident>();
  for (const incident of open.byGrouping.values())
    if (incident.row.rule === LATENCY) for (const key of incident.members.keys()) covered.set(key, incident);
  return covered;
}

/** Takes a series out without OpenIncidents.leave, which keeps the failures rule's own coverage. */
function leave(tx: IncidentsWrite, incident: OpenIncident, key: string, at: number): void {
  const member = incident.members.get(key);
  if (!member) return;
  incident.members.delete(key);
  tx.leave(incident.row.id, member.checkId, member.vantagePoint, at);
}

function seriesOf(checkId: string, vantagePoint: string, at: number): SeriesRow {
  return { checkId, vantagePoint, fails: 0, oks: 0, failing: false, lastStartedAt: at, streak: null };
}

function openFor(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: LatencyInput,
  grouping: string,
  series: SeriesRow,
  notes: Note[],
): OpenIncident {
  const { scene } = input;
  const [kind, id = ''] = grouping.split(':');
  const responsible =
    kind === 'latency-site'
      ? {
          organisation: lookupOf(scene.estate).site(id)?.host ?? id,
          role: 'host' as const,
          subject: { kind: 'site' as const, id },
        }
      : {
          organisation: lookupOf(scene.estate).system(id)?.owner ?? id,
          role: 'owner' as const,
          subject: { kind: 'system' as const, id },
        };
  const startedAt = input.at - input.settings.forMs;
  const incident = open.open(
    tx,
    {
      title: titleOf(grouping, [series.checkId], [series.vantagePoint], input),
      rule: LATENCY,
      grouping,
      severity: input.settings.severity,
      ...responsible,
      startedAt,
      openedAt: scene.now,
      backlogReceivedAt: null,
      inMaintenance: scene
        .maintenanceOf(series.checkId, series.vantagePoint)
        .some((span) => span.from <= scene.now && scene.now < span.to),
      evidence: { errorClasses: [] },
    },
    [series],
    scene,
    notes,
  );
  return incident;
}

function retitle(tx: IncidentsWrite, incident: OpenIncident, input: LatencyInput): void {
  const members = [...incident.members.values()];
  const title = titleOf(
    incident.row.grouping,
    members.map((m) => m.checkId),
    members.map((m) => m.vantagePoint),
    input,
  );
  if (title === incident.row.title) return;
  incident.row = { ...incident.row, title };
  tx.update(incident.row.id, { title });
}

/** "Marsh Lane Centre: Electronic patient record slow, p95 4.2 s over 3 s for 10 minutes". */
function titleOf(
  grouping: string,
  checks: readonly string[],
  places: readonly string[],
  input: LatencyInput,
): string {
  const { estate } = input.scene;
  const [kind, id = ''] = grouping.split(':');
  const keys = checks.map((checkId, i) => keyOf({ checkId, vantagePoint: places[i] as string }));
  const target = keys.map((k) => input.windows.targetOf(k)).find((t) => t !== undefined);
  const percentile = target?.percentile ?? input.settings.percentile;
  const value = mergedPercentile(
    keys.map((k) => input.windows.histogramOf(k)),
    percentile,
  );
  const figure = `p${percentile} ${value === null ? 'unknown' : seconds(value)}${target ? ` over ${seconds(target.overMs)}` : ''} for ${minutesOf(input.settings.forMs)}`;
  const systems = new Set(checks.map((c) => lookupOf(estate).check(c)?.system ?? c));
  if (kind === 'latency-site') {
    const site = lookupOf(estate).site(id);
    const only = systems.size === 1 ? estate.systems.find((s) => systems.has(s.id)) : undefined;
    const what = only ? only.name : `${systems.size} systems`;
    return `${site?.name ?? id}: ${what} slow, ${figure}`;
  }
  const system = lookupOf(estate).system(id);
  // Out of the places the covered checks are run from (as the failures rule's titles).
  const covered = new Set(checks);
  const all = new Set(
    estate.checks
      .filter((c) => c.system === id && (covered.size === 0 || covered.has(c.id)))
      .flatMap((c) => c.from ?? [SERVER_VANTAGE_POINT]),
  );
  const noun = all.has(SERVER_VANTAGE_POINT) ? 'vantage points' : 'sites';
  return `${system?.name ?? id} slow from ${new Set(places).size} of ${all.size} ${noun}, ${figure}`;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function minutesOf(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
