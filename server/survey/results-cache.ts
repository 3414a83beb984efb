import type { ResultsBy } from '../../surveys/results.js';
import type { Estate, Survey } from '../config/schema.js';
import type { SurveyStore } from '../store/survey.js';
import { campaignResults } from './figures.js';

/** A campaign's results by a breakdown, as the results API gives them. */
export type SurveyFigures = (survey: Survey, estate: Estate, by: ResultsBy) => Promise<unknown>;

/** Results worked out afresh each time. */
export const freshFigures =
  (store: SurveyStore): SurveyFigures =>
  (survey, estate, by) =>
    campaignResults(store, survey, estate, by);

/** Campaigns worked out at most this many ways per estate before the oldest are let go. */
const MAX_KEPT = 64;

/**
 * Results kept while nothing they are made from changes: the same estate (its surveys, systems and
 * privacy settings) and the same number of responses. Responses are only ever added, and a published
 * campaign takes none, so every principle and every scorecard reads a campaign worked out once.
 */
export function keptFigures(store: SurveyStore): SurveyFigures {
  const byEstate = new WeakMap<Estate, Map<string, Promise<unknown>>>();
  return async (survey, estate, by) => {
    const count = await store.responseCount(survey.id);
    const key = `${survey.id}\u0000${by}\u0000${count}`;
    let kept = byEstate.get(estate);
    if (!kept) {
      kept = new Map();
      byEstate.set(estate, kept);
    }
    let figures = kept.get(key);
    if (!figures) {
      if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
      figures = campaignResults(store, survey, estate, by);
      const map = kept;
      // A failed read is not kept: the next asks again.
      figures.catch(() => map.delete(key));
      kept.set(key, figures);
    }
    return figures;
  };
}
