import { DAY_MS } from '../../common/calendar.js';
import {
  ACCOUNTING_VERSION,
  accountCheckWithin,
  type VantageAccount,
  type VantageTimeline,
} from '../../principles/accounting.js';
import { coreHourSpans } from '../../principles/hours.js';
import { lengthWithin, type Span } from '../../principles/intervals.js';
import type { Stretch } from '../../principles/timeline.js';
import type { Check, Estate, Principle } from '../config/schema.js';
import type { MaintenanceStore } from '../store/maintenance.js';
import type { ResultsStore } from '../store/results.js';
import type { SurveyStore } from '../store/survey.js';
import { freshFigures, type SurveyFigures } from '../survey/results-cache.js';
import { ACCOUNTING_TEXT } from './accounting-text.js';
import { certificateCompliance, certificatePass } from './certificates.js';
import type { ComplianceThread } from './compliance-thread.js';
import { coreHoursOf } from './core-hours.js';
import {
  addTo,
  BURN_WINDOWS,
  type BurnWindow,
  byWorst,
  emptyBurn,
  emptyTally,
  type Figure,
  figureOf,
  type Horizon,
  itemKey,
  merge,
  type Tally,
} from './figures.js';
import { type Groups, rollUp } from './groups.js';
import {
  addTallied,
  judgeLatency,
  type LatencyTallied,
  latencyCompliance,
  latencyCompliances,
  latencyTallies,
} from './latency.js';
import { bySlowest, latencyTargetOf } from './latency-figure.js';
import type { Period } from './period.js';
import { indexOf, inScope, type Pair, pairsOf } from './scope.js';
import { isSurveyMetric, surveyCompliance } from './survey.js';
import { checkPass, readTimelines, type TimelinePass } from './timeline-pass.js';
import { allWindows, maintenanceOf, type Window } from './windows.js';

export interface ComplianceItem extends Figure {
  /** A vantage point (a site, or the central server); null for a survey figure of a whole system. */
  site: string | null;
  /** Null for a survey figure about a site. */
  system: string | null;
  /** Survey figures: how many responses the figure was made from; null when withheld. */
  responses?: number | null;
  /** Survey figures: true when the privacy rules withhold the group's figure. */
  withheld?: boolean;
  /** Why there is no figure, in words ('no data (withheld)', 'no published campaign asks it'). */
  message?: string;
  /**
   * Certificate figures, check by check: the fewest days to expiry each was shown (null when none), and
   * the certificate it was shown last in the period (when it expires, when it was seen).
   */
  certificates?: { check: string; value: number | null; lastSeen: { expires: string; at: string } | null }[];
}

export interface Compliance {
  principle: Principle;
  period: { from: string; to: string };
  accounting: { version: number; text: string };
  status: Figure['status'] | 'not-evaluated';
  value: number | null;
  message?: string;
  items: ComplianceItem[];
  bySystem: (Figure & { system: string })[];
  bySite: (Figure & { site: string })[];
  byOrganisation: (Figure & { organisation: string; attributed: number })[];
}

/**
 * What a period's figures are compared with, from a period before: each principle's status and value,
 * whole and per organisation. A small part of a compliance answer, so one judged in the other thread
 * comes back in a moment (the whole answer of a big estate is tens of megabytes of objects to copy).
 */
export type Headline = Pick<Compliance, 'principle' | 'status' | 'value' | 'byOrganisation'>;

export const headlineOf = ({ principle, status, value, byOrganisation }: Compliance): Headline => ({
  principle,
  status,
  value,
  byOrganisation,
});

/** A principle's target in percent or its unit: '99.9%' → 99.9; a latency's in ms: '3s' → 3000. */
export const targetOf = (principle: Principle): number =>
  (principle.metric === 'latency' ? latencyTargetOf(principle)?.targetMs : undefined) ??
  (typeof principle.target === 'number' ? principle.target : Number.parseFloat(principle.target));

/** The time a principle counts within a period: core hours or all of it. */
export function hoursOf(principle: Principle, estate: Estate, from: number, to: number): Span[] {
  if (principle.hours === '24x7') return [{ from, to }];
  return coreHourSpans(coreHoursOf(estate.settings), from, to);
}

/**
 * Where compliance reads from: the state timeline, the certificates seen, the ad hoc maintenance
 * windows and the survey's counts.
 */
export interface ComplianceSources {
  results: Pick<ResultsStore, 'timeline' | 'timelines' | 'hourlyPhases'> &
    Partial<Pick<ResultsStore, 'certificates' | 'latencyKept'>>;
  maintenance: Pick<MaintenanceStore, 'overlapping'>;
  /** Needed for survey principles only. */
  survey?: SurveyStore;
  /** How survey results are read: kept between requests by the API, afresh otherwise. */
  surveyFigures?: SurveyFigures;
  /** A thread that shares the latency principles' work with this one; all of it here when absent. */
  thread?: ComplianceThread;
}

/**
 * Several principles judged over one period, reading the timeline once for them all (and for `also`:
 * other passes that read the same period, such as a report's outages), and the hours of the latency
 * principles' checks once for them all.
 */
export async function complianceOf(
  estate: Estate,
  sources: ComplianceSources,
  principles: readonly Principle[],
  period: Period,
  also: readonly TimelinePass[] = [],
): Promise<Compliance[]> {
  const latencyPrinciples = principles.filter((p) => p.metric === 'latency');
  // The other thread starts on the latency principles' groups of checks while this one reads the
  // timeline, then this one claims groups too, whichever is free taking the next. A thread judging
  // another period whole (headlinesThereOrHere) comes to these groups once it is done, if any are left.
  const claims = new Int32Array(new SharedArrayBuffer(4));
  // The other thread's groups, each taken in as soon as it is tallied there.
  const parts: LatencyTallied[][] = [];
  const elsewhere =
    sources.thread && latencyPrinciples.length > 0
      ? sources.thread
          .latencyTallies(estate, latencyPrinciples, period, claims, (part) => parts.push(part))
          .catch(
            // The thread could not answer (its reason is logged): the figures are worked out here.
            () => undefined,
          )
      : undefined;
  const availability = await availabilityPass(
    estate,
    sources,
    principles.filter((p) => p.metric === 'availability'),
    period,
  );
  const certificates = new Map<string, Awaited<ReturnType<typeof certificatePass>>>();
  for (const principle of principles)
    if (principle.metric === 'certificate-expiry')
      certificates.set(principle.id, await certificatePass(estate, sources, principle, period));
  const passes = [...certificates.values()].map((c) => c.pass);
  if (availability.tallies.size > 0) passes.push(availability.pass);
  passes.push(...also);
  await readTimelines(sources.results, period.from, period.to, passes);
  // The other principles are judged first: meanwhile the other thread takes more of the latency
  // principles' groups, so less is left to do here once both are done.
  const judged = new Map<string, Compliance>();
  for (const p of principles)
    if (p.metric !== 'latency')
      judged.set(
        p.id,
        await compliance(estate, sources, p, period, {
          tallies: availability.tallies.get(p.id),
          certificates: certificates.get(p.id)?.answer,
        }),
      );
  // The latency principles in one loop over the checks, each check's hours read once for them all.
  const latency = elsewhere
    ? await sharedLatency(estate, sources, latencyPrinciples, period, claims, elsewhere, parts)
    : await latencyCompliances(estate, sources, latencyPrinciples, period);
  return Promise.all(
    principles.map(
      (p) => judged.get(p.id) ?? compliance(estate, sources, p, period, { latency: latency.get(p.id) }),
    ),
  );
}

/**
 * Principles' headlines over a period judged whole in the compliance thread when there is one, as
 * complianceOf judges them here; here when there is none or it cannot answer (the thread logs why). For
 * a second period wanted beside a first (the one before, for a trend): the thread takes the first's
 * latency groups only once it has judged this one.
 */
export async function headlinesThereOrHere(
  estate: Estate,
  sources: ComplianceSources,
  principles: readonly Principle[],
  period: Period,
): Promise<Headline[]> {
  const there = await sources.thread?.headlinesOf(estate, principles, period).catch(() => undefined);
  return there ?? (await complianceOf(estate, sources, principles, period)).map(headlineOf);
}

/**
 * Latency principles tallied by this thread and the other together, each claiming groups of checks
 * from the shared counter until none is left; `parts` are the other's groups sent ahead of its answer.
 * Should the other fail, every group is tallied again here.
 */
async function sharedLatency(
  estate: Estate,
  sources: ComplianceSources,
  principles: readonly Principle[],
  period: Period,
  claims: Int32Array,
  elsewhere: Promise<LatencyTallied[] | undefined>,
  parts: readonly LatencyTallied[][],
): Promise<Map<string, Groups>> {
  const mine = await latencyTallies(estate, sources, principles, period, () => Atomics.add(claims, 0, 1));
  const theirs = await elsewhere;
  if (!theirs) return latencyCompliances(estate, sources, principles, period);
  for (const part of parts) addTallied(mine, part);
  addTallied(mine, theirs);
  return judgeLatency(estate, mine, period);
}

/** What a shared pass over the timeline already accounted for a principle. */
interface Accounted {
  tallies?: Map<string, ItemTally> | undefined;
  certificates?: (() => Awaited<ReturnType<typeof certificateCompliance>>) | undefined;
  latency?: Awaited<ReturnType<typeof latencyCompliance>>;
}

/** A principle judged over a period; `accounted` when its items were already accounted with others'. */
export async function compliance(
  estate: Estate,
  sources: ComplianceSources,
  principle: Principle,
  period: Period,
  accounted: Accounted = {},
): Promise<Compliance> {
  const head = {
    principle,
    period: { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() },
    accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
  };
  if (principle.metric === 'latency') {
    const judged = accounted.latency ?? (await latencyCompliance(estate, sources, principle, period));
    if (judged) return { ...head, ...judged };
  }
  if (principle.metric === 'certificate-expiry')
    return {
      ...head,
      ...(accounted.certificates?.() ?? (await certificateCompliance(estate, sources, principle, period))),
    };
  if (isSurveyMetric(principle.metric))
    return {
      ...head,
      ...(await surveyCompliance(
        estate,
        sources.surveyFigures ?? freshFigures(needed(sources.survey, 'survey')),
        principle,
        period,
      )),
    };
  if (principle.metric !== 'availability')
    return {
      ...head,
      status: 'not-evaluated',
      value: null,
      message:
        principle.metric === 'latency'
          ? `latency principle '${principle.id}' has target ${principle.target}, which is no time: give one such as 3s or 500ms`
          : `${principle.metric} principles are not evaluated yet: every metric but this one is`,
      items: [],
      bySystem: [],
      bySite: [],
      byOrganisation: [],
    };
  let tallies = accounted.tallies;
  if (!tallies) {
    const alone = await availabilityPass(estate, sources, [principle], period);
    await readTimelines(sources.results, period.from, period.to, [alone.pass]);
    tallies = alone.tallies.get(principle.id) ?? new Map<string, ItemTally>();
  }
  const target = targetOf(principle);
  const recentMs = Math.min(DAY_MS, period.to - period.from);
  const horizon: Horizon = { remainingMs: period.rollingMs ?? period.end - period.to, recentMs };
  const judged = [...tallies.values()].map(({ site, system, tally }) => ({
    site,
    system,
    figure: figureOf(tally, target, horizon),
    tally,
  }));
  return {
    ...head,
    ...rollUp(estate, judged, { merge, judge: (tally) => figureOf(tally, target, horizon) }),
  };
}

/** A source a metric reads, given by whoever builds the sources: its absence is a wiring mistake. */
export function needed<T>(source: T | undefined, name: string): T {
  if (source === undefined) throw new Error(`compliance needs the ${name} source for this principle`);
  return source;
}

/** The worst items of a compliance answer. */
export const worstItems = (answer: Compliance, count: number): ComplianceItem[] =>
  [...answer.items].sort(answer.principle.metric === 'latency' ? bySlowest : byWorst).slice(0, count);

interface ItemTally {
  site: string;
  system: string;
  tally: Tally;
}

/**
 * Each in-scope check accounted at all its vantage points, summed per (site, system), for each of some
 * availability principles: one pass over the period's timeline, a check at a time, serves them all.
 * The tallies are complete once the pass is.
 */
async function availabilityPass(
  estate: Estate,
  { maintenance }: ComplianceSources,
  principles: readonly Principle[],
  period: Period,
): Promise<{ pass: TimelinePass; tallies: Map<string, Map<string, ItemTally>> }> {
  const answer = new Map<string, Map<string, ItemTally>>();
  const { from, to } = period;
  const plans = principles.map((principle) => {
    const hours = hoursOf(principle, estate, from, to);
    // The last hour, 6 hours, day and 3 days of the period: down time in them is the burn.
    const recent = (Object.entries(BURN_WINDOWS) as [BurnWindow, number][]).map(
      ([window, ms]) => [window, Math.max(from, to - ms)] as const,
    );
    const tallies = new Map<string, ItemTally>();
    answer.set(principle.id, tallies);
    return { principle, hours, recent, tallies };
  });
  // The file's windows and the ad hoc ones, read once for the period.
  const windows = await allWindows(estate, maintenance, from, to);
  const index = indexOf(estate);
  const account = (check: Check, timeline: Map<string, Stretch[]>) => {
    const pairs = pairsOf(estate, check, index);
    const mine = plans.filter(({ principle }) => pairs.some((pair) => inScope(principle.scope, pair)));
    if (mine.length === 0) return;
    const keys = pairs.map((pair) => itemKey(pair.vantagePoint, check.system));
    const vantages = pairs.map((pair) => vantageOf(pair, timeline, windows));
    const owner = pairs[0]?.system?.owner ?? '';
    // The check's time is accounted once for every principle's hours, core and all alike.
    const byHours = accountCheckWithin(
      owner,
      vantages,
      mine.map((plan) => plan.hours),
    );
    mine.forEach(({ principle, recent, tallies }, p) => {
      const accounts = byHours[p] as VantageAccount[];
      pairs.forEach((pair, i) => {
        if (!inScope(principle.scope, pair)) return;
        const key = keys[i] as string;
        let item = tallies.get(key);
        if (!item) {
          item = { site: pair.vantagePoint, system: check.system, tally: emptyTally() };
          tallies.set(key, item);
        }
        const account = accounts[i];
        if (!account) return;
        const burn = emptyBurn();
        for (const [window, start] of recent) burn[window] = lengthWithin(account.down, start, to);
        addTo(item.tally, account.ms, burn, account.attribution);
      });
    });
  };
  const pass = checkPass(estate.checks, account);
  return { pass, tallies: answer };
}

/** A vantage point's runs and maintenance over a period, for the accounting. */
export function vantageOf(
  pair: Pair,
  timeline: Map<string, Stretch[]>,
  windows: readonly Window[],
): VantageTimeline {
  return {
    vantagePoint: pair.vantagePoint,
    host: pair.site?.host ?? null,
    stretches: timeline.get(pair.vantagePoint) ?? [],
    maintenance: maintenanceOf(windows, { check: pair.check, system: pair.system, site: pair.site }),
  };
}
