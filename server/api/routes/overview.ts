import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { ACCOUNTING_VERSION } from '../../../principles/accounting.js';
import { allow, read } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import { type Heatmap, heatmapOf, heatmapPrinciples } from '../../overview/heatmap.js';
import { overviewNow } from '../../overview/live.js';
import { OVERVIEW_PERIOD_FORMS, type PeriodPair, periodPair } from '../../overview/periods.js';
import { scorecardOf } from '../../overview/scorecard.js';
import { surveyHeadline } from '../../overview/survey-headline.js';
import { ACCOUNTING_TEXT } from '../../principles/accounting-text.js';
import {
  type Compliance,
  complianceOf,
  type Headline,
  headlinesThereOrHere,
} from '../../principles/compliance.js';
import type { ComplianceThread } from '../../principles/compliance-thread.js';
import { type RunPlan, runPlanOf } from '../../results/vantage.js';
import type { Stores } from '../../store/stores.js';
import { keptFigures } from '../../survey/results-cache.js';
import { ApiError, parseInput } from '../errors.js';
import { periodQueried } from '../period-query.js';
import { simulatedPart } from '../simulated.js';
import type { OverviewNowResponse, OverviewResponse } from '../types.js';
import { SILENT_BEATS } from './agents-status.js';

const overviewQuery = z.strictObject({
  period: z.string().max(20).optional(),
  principle: z.string().max(100).optional(),
});

/**
 * A period's figures are worked out at most this often: on a large estate the two passes over the
 * timeline take seconds, and a board's figures do not move in a minute. The answer's period says when
 * they were worked out; failing now and silent agents are read afresh every time.
 */
export const FIGURES_MAX_AGE_MS = 60_000;
/** Kept figures older than this are not given while newer are worked out: the asker waits for those. */
const STALE_ANSWER_MS = 15 * 60_000;
/** Periods kept per estate, at most: the picker offers seven. */
const KEPT_PERIODS = 16;

/** A period's figures, worked out or being worked out, and newer ones being worked out behind them. */
interface KeptFigures {
  at: number;
  figures: Promise<Judged>;
  settled?: Judged;
  refreshing?: Promise<unknown> | undefined;
}

type Judged = {
  periods: PeriodPair;
  judged: Compliance[];
  before: Headline[];
  /** Heatmaps drawn from these figures, by the principle asked for ('' for every availability one). */
  heatmaps: Map<string, Heatmap | null>;
};

export interface OverviewRouteDeps {
  stores: Pick<Stores, 'results' | 'maintenance' | 'survey' | 'demoHistory' | 'agents'>;
  clock: Clock;
  estate: () => Estate | undefined;
  /** The thread latency work is shared with; omitted, all of it is done in this one. */
  thread?: ComplianceThread | undefined;
}

/** The period pair asked for, or a 400 naming `period` and the forms it takes. */
const pairOf = (text: string, now: number): PeriodPair =>
  periodQueried(() => periodPair(text, now), OVERVIEW_PERIOD_FORMS);

const span = (period: { from: number; to: number; text: string }) => ({
  text: period.text,
  from: new Date(period.from).toISOString(),
  to: new Date(period.to).toISOString(),
});

/** The economy at a glance: scorecard, heatmap, failing now, silent agents and the survey headline. */
export function overviewRoutes({ stores: given, clock, estate, thread }: OverviewRouteDeps): Router {
  const router = Router();
  const stores = {
    results: given.results,
    maintenance: given.maintenance,
    survey: given.survey,
    surveyFigures: keptFigures(given.survey),
    ...(thread ? { thread } : {}),
  };
  // Kept per estate: a reload makes a new estate, and its figures are worked out afresh.
  const plansKept = new WeakMap<Estate, Map<string, RunPlan>>();
  const plansOf = (current: Estate) => {
    let plans = plansKept.get(current);
    if (!plans) {
      plans = new Map(current.checks.map((c) => [c.id, runPlanOf(c)]));
      plansKept.set(current, plans);
    }
    return plans;
  };
  const figuresKept = new WeakMap<Estate, Map<string, KeptFigures>>();
  /**
   * Every principle over the period and the one before, in one pass over the timeline for each. Kept
   * figures a minute old or more still answer at once (up to 15 minutes old) while newer ones are worked
   * out behind them, so that only the first ask for a period waits for its passes.
   */
  const figuresOf = (current: Estate, text: string, now: number): Promise<Judged> => {
    let kept = figuresKept.get(current);
    if (!kept) {
      kept = new Map();
      figuresKept.set(current, kept);
    }
    const map = kept;
    const seen = map.get(text);
    const age = seen ? now - seen.at : Number.POSITIVE_INFINITY;
    if (seen && age >= 0 && age < FIGURES_MAX_AGE_MS) return seen.figures;
    // The oldest period asked goes when there are too many.
    const keep = (entry: KeptFigures) => {
      if (map.size >= KEPT_PERIODS && !map.has(text)) map.delete(map.keys().next().value as string);
      map.set(text, entry);
    };
    const work = (): KeptFigures => {
      const periods = pairOf(text, now);
      const entry: KeptFigures = {
        at: now,
        figures: (async () => {
          // Both at once: with a compliance thread, the period before is judged there whole.
          const [judged, before] = await Promise.all([
            complianceOf(current, stores, current.principles, periods.current),
            headlinesThereOrHere(current, stores, current.principles, periods.previous),
          ]);
          return { periods, judged, before, heatmaps: new Map() };
        })(),
      };
      entry.figures.then(
        (figures) => {
          entry.settled = figures;
          keep(entry);
        },
        // A failed pass is not kept: the next asks again.
        () => {
          if (map.get(text) === entry) map.delete(text);
          if (seen) seen.refreshing = undefined;
        },
      );
      return entry;
    };
    if (seen?.settled && age >= 0 && age < STALE_ANSWER_MS) {
      seen.refreshing ??= work().figures.catch(() => undefined);
      return Promise.resolve(seen.settled);
    }
    const entry = work();
    keep(entry);
    return entry.figures;
  };
  const configured = (): Estate => {
    const now = estate();
    if (!now) throw new ApiError('not_found', 'no estate is configured yet');
    return now;
  };

  router.get('/overview', allow(read), async (req, res) => {
    const query = parseInput(overviewQuery, req.query, 'query');
    const current = configured();
    const now = clock.now();
    const text = query.period ?? '30d';
    // Read first, so a period it cannot read is refused before anything is worked out.
    pairOf(text, now);
    const drawn = heatmapPrinciples(current, query.principle);
    if (!drawn) {
      const message = `query parameter 'principle': no availability or latency principle with id '${query.principle}'`;
      throw new ApiError('invalid', message, [{ path: 'principle', message }]);
    }
    const { periods, judged, before, heatmaps } = await figuresOf(current, text, now);
    const heatmapKey = query.principle ?? '';
    if (!heatmaps.has(heatmapKey)) {
      const shownFor = judged.filter((j) => drawn.includes(j.principle));
      heatmaps.set(
        heatmapKey,
        shownFor.length > 0 ? heatmapOf(current, shownFor, periods.current.text) : null,
      );
    }
    const answer: OverviewResponse = {
      period: span(periods.current),
      previous: span(periods.previous),
      accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
      scorecard: scorecardOf(current, judged, before, periods.current.text),
      heatmap: heatmaps.get(heatmapKey) ?? null,
      heatmapPrinciples: current.principles
        .filter((p) => p.metric === 'availability' || p.metric === 'latency')
        .map((p) => ({ id: p.id, title: p.title, metric: p.metric })),
      now: await overviewNow(current, given, now, SILENT_BEATS, plansOf(current)),
      survey: await surveyHeadline(current, stores.surveyFigures, now),
      ...(await simulatedPart(given.demoHistory, periods.previous.from, periods.current.to)),
    };
    res.json(answer);
  });

  router.get('/overview/now', allow(read), async (req, res) => {
    parseInput(z.strictObject({}), req.query, 'query');
    const current = configured();
    const answer: OverviewNowResponse = await overviewNow(
      current,
      given,
      clock.now(),
      SILENT_BEATS,
      plansOf(current),
    );
    res.json(answer);
  });

  return router;
}
