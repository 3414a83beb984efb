import { durationMs } from '../../common/duration.js';
import type { Estate, Principle } from '../config/schema.js';
import { targetOf } from '../principles/compliance.js';
import { latencyTargetOf } from '../principles/latency-figure.js';
import type { IncidentsWrite } from '../store/incidents.js';
import type { Burnt, WindowTally } from './burn-measure.js';
import type { BurnPairName, BurnRateSettings } from './config.js';
import { noteHandOver } from './hand-over.js';
import type { Note, OpenIncidents, Scene } from './incidents.js';
import type { Severity } from './message.js';

export const BURN_RATE = 'burn-rate';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const BASE_WINDOW_MS = 30 * DAY_MS;

/**
 * The multi-window, multi-burn-rate pairs for a 30-day budget: at 14.4× for an hour the budget lasts
 * about 2 days (2% of it gone), at 6× for 6 hours 5 days, at 3× for a day 10 days, at 1× it just lasts.
 * The short window makes the alert end soon after the burning does.
 */
export const BURN_PAIRS: readonly { name: BurnPairName; longMs: number; shortMs: number; rate: number }[] = [
  { name: '1h', longMs: HOUR_MS, shortMs: 5 * MINUTE_MS, rate: 14.4 },
  { name: '6h', longMs: 6 * HOUR_MS, shortMs: 30 * MINUTE_MS, rate: 6 },
  { name: '1d', longMs: DAY_MS, shortMs: 2 * HOUR_MS, rate: 3 },
  { name: '3d', longMs: 3 * DAY_MS, shortMs: 6 * HOUR_MS, rate: 1 },
];

export interface ScaledPair {
  name: BurnPairName;
  longMs: number;
  shortMs: number;
  rate: number;
}

/**
 * The pairs for a principle's window: each window scaled by (window / 30 days), so each pair still
 * means the same share of the budget spent (a 7-day principle's fast pair is 14 minutes and 70 seconds);
 * never under a minute, the shortest a check runs every.
 */
export function pairsFor(principle: Principle): ScaledPair[] {
  const scale = durationMs(principle.window ?? '30d') / BASE_WINDOW_MS;
  return BURN_PAIRS.map((pair) => ({
    ...pair,
    longMs: Math.max(MINUTE_MS, Math.round(pair.longMs * scale)),
    shortMs: Math.max(MINUTE_MS, Math.round(pair.shortMs * scale)),
  }));
}

/** The availability and latency principles the rule reads. */
export function burnPrinciples(estate: Estate, settings: BurnRateSettings): Principle[] {
  if (!settings.enabled) return [];
  return estate.principles.filter(
    (p) =>
      (p.metric === 'availability' || p.metric === 'latency') &&
      (settings.principles === 'all' || settings.principles.includes(p.id)),
  );
}

/** The share of its counted time (availability) or runs (latency) a principle allows bad. */
function allowedShare(principle: Principle): number {
  if (principle.metric === 'latency') return 1 - (latencyTargetOf(principle)?.percentile ?? 100) / 100;
  return 1 - targetOf(principle) / 100;
}

/**
 * (Bad share of what was counted) / (the share the principle allows bad); 0 with nothing counted. For
 * availability the down share of the counted time; for latency the share of runs over the target.
 */
export function burnRate(tally: WindowTally, principle: Principle): number {
  const allowed = allowedShare(principle);
  if (tally.countedMs === 0) return 0;
  const bad = tally.downMs / tally.countedMs;
  return allowed <= 0 ? (bad > 0 ? Number.POSITIVE_INFINITY : 0) : bad / allowed;
}

export interface PairVerdict {
  pair: ScaledPair;
  long: number;
  short: number;
  badRuns: number;
  firing: boolean;
  /** False while too little has been watched to say it is not firing (its short window not yet). */
  known: boolean;
}

/**
 * Each pair's rates over its windows ending now. `watchedFrom`: the tallies hold only what was seen since
 * then (a latency principle's, counted in memory), so a pair whose long window reaches further back does
 * not fire: a few minutes' runs must not pass for a day's.
 */
export function verdicts(
  principle: Principle,
  tallies: ReadonlyMap<number, WindowTally>,
  now: number,
  minBadRuns: number,
  watchedFrom = Number.NEGATIVE_INFINITY,
): PairVerdict[] {
  return pairsFor(principle).map((pair) => {
    const long = tallies.get(now - pair.longMs) as WindowTally;
    const short = tallies.get(now - pair.shortMs) as WindowTally;
    const rates = { long: burnRate(long, principle), short: burnRate(short, principle) };
    const watched = watchedFrom <= now - pair.longMs;
    // A rate met exactly counts: a budget spent at exactly 1× is spent by the window's end.
    const firing =
      watched && rates.long >= pair.rate && rates.short >= pair.rate && long.badRuns >= minBadRuns;
    // Not firing is known once the long window is watched, or the short one is and burns under the rate.
    const known = watched || (watchedFrom <= now - pair.shortMs && rates.short < pair.rate);
    return { pair, ...rates, badRuns: long.badRuns, firing, known };
  });
}

/**
 * One incident per principle (`burn:ID`): the budget is one, shared by everyone the principle covers, so
 * several incidents would each claim the same budget. It goes to the organisation most of the burnt
 * time in the firing pair's long window is attributed to (owner or host, by the principles' rule), at the
 * system or site most of theirs was at; the most urgent pair firing sets its severity. When most of the
 * firing pair's burnt time becomes another organisation's, it is handed over to them (a new incident,
 * the old one closed as handed over). It resolves once no pair fires: the short windows clear minutes
 * after the burning stops.
 */
export function judgeBurn(
  tx: IncidentsWrite,
  open: OpenIncidents,
  input: {
    scene: Scene;
    settings: BurnRateSettings;
    principle: Principle;
    verdicts: readonly PairVerdict[];
    tallies: ReadonlyMap<number, WindowTally>;
  },
  notes: Note[],
): void {
  const { scene, principle } = input;
  const grouping = `burn:${principle.id}`;
  const current = open.byGrouping.get(grouping);
  const firing = input.verdicts.find((v) => v.firing);
  const figures = input.verdicts.map((v) => ({
    pair: `${label(v.pair.longMs)}/${label(v.pair.shortMs)}`,
    rate: v.pair.rate,
    long: round(v.long),
    short: round(v.short),
    badRuns: v.badRuns,
  }));
  if (!firing) {
    // Soon after a start, a pair not yet watched long enough may still be burning: kept open till it is known.
    if (current && input.verdicts.every((v) => v.known))
      open.resolve(tx, current, scene.now, notes, {
        why: 'no pair of windows burns the error budget at its rate any more',
        burn: figures,
      });
    return;
  }
  const title = `${principle.title}: error budget burning at ${round(firing.long)}× over ${label(firing.pair.longMs)} (${round(firing.short)}× over ${label(firing.pair.shortMs)})`;
  const severity = input.settings.severity[firing.pair.name];
  const long = input.tallies.get(scene.now - firing.pair.longMs) as WindowTally;
  const whose = mostBurnt(long.whose);
  const pair = `${label(firing.pair.longMs)}/${label(firing.pair.shortMs)}`;
  const openFor = (burnt: Burnt, detail: Record<string, unknown>) => {
    const [kind = 'system', id = ''] = (mostAt(burnt.at) ?? '').split(':');
    return open.open(
      tx,
      {
        title,
        rule: BURN_RATE,
        grouping,
        severity,
        organisation: burnt.organisation as string,
        role: burnt.role,
        subject: { kind: kind === 'site' ? 'site' : 'system', id },
        startedAt: scene.now - firing.pair.longMs,
        openedAt: scene.now,
        backlogReceivedAt: null,
        inMaintenance: false,
        evidence: { errorClasses: [] },
      },
      [],
      scene,
      notes,
      { principle: principle.id, pair, burn: figures, ...detail },
    );
  };
  if (current && whose && whose.organisation !== current.row.organisation) {
    // The burning is now another organisation's (a host's slow burn overtaken by the owner's outage, or
    // the reverse): handed over as a host's failures are, the old one told it is no longer theirs. The
    // old one closes first: a principle has one open incident.
    const why = 'most of the burning time is now another organisation’s';
    const to = { organisation: whose.organisation as string, role: whose.role };
    tx.event(current.row.id, { at: scene.now, kind: 'escalated', detail: { why, to, burn: figures } });
    const from = { incident: current.row.id, organisation: current.row.organisation };
    open.resolve(
      tx,
      current,
      scene.now,
      notes,
      { why: `handed over: ${why}`, handedOver: { to } },
      'handed-over',
    );
    noteHandOver(tx, current, openFor(whose, { handedOver: { from } }), scene.now);
    return;
  }
  if (current) {
    // A faster pair firing later makes it more urgent (a slow burn that became an outage): raised, and told.
    if (RANK[severity] <= RANK[current.row.severity]) return;
    tx.update(current.row.id, { severity, title });
    tx.event(current.row.id, {
      at: scene.now,
      kind: 'escalated',
      detail: {
        why: 'a faster pair of windows burns at its rate',
        from: current.row.severity,
        to: severity,
        title,
        burn: figures,
      },
    });
    current.row = { ...current.row, severity, title };
    notes.push({ incidentId: current.row.id, event: 'escalated', at: scene.now });
    return;
  }
  if (whose) openFor(whose, {});
}

/** The organisation most of the burnt time is attributed to; the Vantage server has no host to give it to. */
function mostBurnt(whose: ReadonlyMap<string, Burnt>): Burnt | undefined {
  let best: Burnt | undefined;
  for (const burnt of whose.values())
    if (burnt.organisation !== null && (!best || burnt.ms > best.ms)) best = burnt;
  return best;
}

function mostAt(at: ReadonlyMap<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of at) if (!best || entry[1] > best[1]) best = entry;
  return best?.[0];
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : n);

function label(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS}m`;
  return `${Math.round(ms / 1000)}s`;
}
