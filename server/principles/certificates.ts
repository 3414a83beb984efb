import { DAY_MS } from '../../common/calendar.js';
import { fewestDays, type Seen, underTarget } from '../../principles/certificates.js';
import { intersect, length, normalise, overlapLength, subtract } from '../../principles/intervals.js';
import type { Stretch } from '../../principles/timeline.js';
import type { Check, Estate, Principle } from '../config/schema.js';
import type { CertificatesSeen } from '../store/results.js';
import { holdOf } from '../timeline/hold.js';
import {
  type Compliance,
  type ComplianceItem,
  type ComplianceSources,
  hoursOf,
  needed,
  targetOf,
} from './compliance.js';
import { BURN_WINDOWS, type BurnWindow, type Status } from './figures.js';
import { groupsOf } from './item-groups.js';
import type { Period } from './period.js';
import { indexOf, inScope, type Pair, pairsOf } from './scope.js';
import { byId, checkPass, readTimelines, type TimelinePass } from './timeline-pass.js';
import { allWindows, maintenanceOf } from './windows.js';

const MINUTE_MS = 60_000;

/** Checks whose runs are sent a certificate: tls ones, and http ones to an https:// target. */
export const showsCertificate = (check: Check): boolean =>
  check.type === 'tls' || (check.type === 'http' && check.target.startsWith('https://'));

const emptyTally = (site: string, system: string): Tally => ({
  site,
  system,
  seen: [],
  byCheck: new Map(),
  ms: { up: 0, down: 0, maintenance: 0, unknown: 0 },
  burnMs: { '1h': 0, '6h': 0, '1d': 0, '3d': 0 },
});

interface Tally {
  site: string;
  system: string;
  seen: Seen[];
  /** The same, check by check: the figure is per check, the item their worst. */
  byCheck: Map<string, Seen[]>;
  ms: { up: number; down: number; maintenance: number; unknown: number };
  burnMs: Record<BurnWindow, number>;
}

/**
 * A certificate-expiry principle over a period: per (site, system), the fewest days to expiry any run
 * was shown, and the in-hours minutes a certificate seen had fewer days left than the target.
 */
export async function certificateCompliance(
  estate: Estate,
  sources: ComplianceSources,
  principle: Principle,
  period: Period,
): Promise<CertificateAnswer> {
  const { pass, answer } = await certificatePass(estate, sources, principle, period);
  await readTimelines(sources.results, period.from, period.to, [pass]);
  return answer();
}

type CertificateAnswer = Pick<
  Compliance,
  'status' | 'value' | 'items' | 'bySystem' | 'bySite' | 'byOrganisation'
>;

/** The same as a pass over the timeline, to share one read with other principles; `answer` after it. */
export async function certificatePass(
  estate: Estate,
  { results, maintenance }: ComplianceSources,
  principle: Principle,
  period: Period,
): Promise<{ pass: TimelinePass; answer: () => CertificateAnswer }> {
  const { from, to } = period;
  const target = targetOf(principle);
  const hours = hoursOf(principle, estate, from, to);
  const recent = (Object.entries(BURN_WINDOWS) as [BurnWindow, number][]).map(
    ([window, ms]) => [window, intersect(hours, [{ from: Math.max(from, to - ms), to }])] as const,
  );
  const hoursMs = length(hours);
  const windows = await allWindows(estate, maintenance, from, to);
  // The certificates runs were sent in the period, the whole estate's in one read (a row a series a month).
  const seenBy = await needed(results.certificates, 'certificates').call(results, from, to);
  const index = indexOf(estate);
  const wanted = new Map<string, { check: Check; pairs: Pair[]; seen: CertificatesSeen }>();
  for (const check of estate.checks) {
    if (!showsCertificate(check)) continue;
    const pairs = pairsOf(estate, check, index).filter((pair) => inScope(principle.scope, pair));
    if (pairs.length > 0) wanted.set(check.id, { check, pairs, seen: seenBy.get(check.id) ?? new Map() });
  }
  const tallies = new Map<string, Tally>();
  const account = (
    check: Check,
    pairs: Pair[],
    seenAt: CertificatesSeen,
    timeline: Map<string, Stretch[]>,
  ) => {
    const hold = holdOf(check);
    for (const pair of pairs) {
      const key = `${pair.vantagePoint}|${check.system}`;
      const tally = tallies.get(key) ?? emptyTally(pair.vantagePoint, check.system);
      tallies.set(key, tally);
      const seen = seenAt.get(pair.vantagePoint) ?? [];
      if (seen.length > 0) {
        for (const one of seen) tally.seen.push(one);
        const ofCheck = tally.byCheck.get(check.id);
        if (ofCheck) for (const one of seen) ofCheck.push(one);
        else tally.byCheck.set(check.id, [...seen]);
      } else if (!tally.byCheck.has(check.id)) tally.byCheck.set(check.id, []);
      // Within the hours: maintenance first; then the time the state was known, under target or not.
      // Most pairs have no maintenance, no stretch or no certificate: those steps are skipped for them.
      const covering = maintenanceOf(windows, { check: pair.check, system: pair.system, site: pair.site });
      const inMaintenance = covering.length === 0 ? [] : intersect(hours, covering);
      const rest = inMaintenance.length === 0 ? hours : subtract(hours, inMaintenance);
      const stretches = timeline.get(pair.vantagePoint) ?? [];
      // The spans themselves only when a certificate was seen: otherwise their length is all it takes.
      const known = seen.length === 0 ? null : intersect(rest, normalise(stretches));
      const knownMs = known ? length(known) : overlapLength(rest, stretches);
      const under = known && known.length > 0 ? intersect(known, underTarget(seen, target, hold)) : [];
      const down = length(under);
      tally.ms.down += down;
      tally.ms.up += knownMs - down;
      tally.ms.maintenance += length(inMaintenance);
      tally.ms.unknown += (rest === hours ? hoursMs : length(rest)) - knownMs;
      if (down === 0) continue;
      for (const [window, spans] of recent) tally.burnMs[window] += length(intersect(under, spans));
    }
  };
  const pass = checkPass(
    [...wanted.values()].map((one) => one.check),
    (check, timeline) => {
      const one = wanted.get(check.id);
      if (one) account(one.check, one.pairs, one.seen, timeline);
    },
  );
  const answer = () => {
    // What lies ahead: one window for a rolling one, the rest of a calendar period; none once it is over.
    const horizon = period.rollingMs !== undefined ? to + period.rollingMs : period.end;
    const items = [...tallies.values()]
      .map((tally) => itemOf(estate, tally, target, from, to, horizon))
      .sort((a, b) => byId(a.system ?? '', b.system ?? '') || byId(a.site ?? '', b.site ?? ''));
    return groupsOf(estate, items, target);
  };
  return { pass, answer };
}

function itemOf(
  estate: Estate,
  tally: Tally,
  target: number,
  from: number,
  to: number,
  horizon: number,
): ComplianceItem {
  // Hundredths, rounded down as the probe gives them: 13.999 days left is not 14.
  const days = (fewest: number | undefined) => (fewest === undefined ? null : Math.floor(fewest * 100) / 100);
  const checks = [...tally.byCheck].map(([check, seen]) => {
    const latest = seen
      .filter((s) => s.firstAt < to && s.lastAt >= from)
      .reduce<Seen | undefined>((a, s) => (a === undefined || s.lastAt > a.lastAt ? s : a), undefined);
    return { check, value: days(fewestDays(seen, from, to)), latest };
  });
  const values = checks.map((c) => c.value).filter((v): v is number => v !== null);
  const value = values.length === 0 ? null : Math.min(...values);
  let status: Status;
  if (value === null) status = 'no-data';
  else if (value < target) status = 'breached';
  // On course to miss: a check's certificate seen last comes under target before the period is over.
  else if (horizon > to && checks.some((c) => c.latest && c.latest.notAfter - target * DAY_MS < horizon))
    status = 'at-risk';
  else status = 'met';
  const minutes = (ms: number) => ms / MINUTE_MS;
  const down = minutes(tally.ms.down);
  const owner = estate.systems.find((s) => s.id === tally.system)?.owner ?? null;
  return {
    site: tally.site,
    system: tally.system,
    status,
    value,
    target,
    minutes: {
      up: minutes(tally.ms.up),
      down,
      maintenance: minutes(tally.ms.maintenance),
      unknown: minutes(tally.ms.unknown),
    },
    // No minute under target is allowed: the whole of it is spent.
    budget: { allowed: 0, spent: down, left: -down },
    burn: {
      '1h': minutes(tally.burnMs['1h']),
      '6h': minutes(tally.burnMs['6h']),
      '1d': minutes(tally.burnMs['1d']),
      '3d': minutes(tally.burnMs['3d']),
    },
    attribution:
      status === 'breached' || down > 0 ? [{ organisation: owner, role: 'owner', minutes: down }] : [],
    certificates: checks
      .map(({ check, value, latest }) => ({
        check,
        value,
        lastSeen: latest
          ? { expires: new Date(latest.notAfter).toISOString(), at: new Date(latest.lastAt).toISOString() }
          : null,
      }))
      .sort((a, b) => byId(a.check, b.check)),
    ...(value === null ? { message: 'no data: no run was shown a certificate in the period' } : {}),
  };
}
