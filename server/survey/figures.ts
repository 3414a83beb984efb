import { surveyComments } from '../../surveys/comments.js';
import { type CampaignTotals, compareCampaigns } from '../../surveys/compare.js';
import { type ResultsBy, surveyResults } from '../../surveys/results.js';
import type { Estate, Survey } from '../config/schema.js';
import type { SurveyStore } from '../store/survey.js';

/*
 * The survey code in surveys/ is pure: it takes counts and sums and applies the privacy rules. Here
 * the server reads what it needs from the survey store and hands it over.
 */

/** A campaign's results by a breakdown, read and worked out. */
export async function campaignResults(store: SurveyStore, survey: Survey, estate: Estate, by: ResultsBy) {
  const [cells, answers, scoreSums, scoreCells, demo] = await Promise.all([
    store.cells(survey.id),
    store.answerCounts(survey.id),
    store.scoreSums(survey.id, by === 'system' ? 'all' : by),
    store.scoreCells(survey.id),
    store.demoCount(survey.id),
  ]);
  return surveyResults({ cells, answers, scoreSums, scoreCells, demo }, survey, estate, by);
}

/** A campaign's comments by shown site. */
export async function campaignComments(store: SurveyStore, survey: Survey, estate: Estate) {
  const [cells, comments] = await Promise.all([store.cells(survey.id), store.comments(survey.id)]);
  return surveyComments({ cells, comments }, survey, estate);
}

/** Two campaigns compared system by system and item by item. */
export async function campaignComparison(store: SurveyStore, before: Survey, after: Survey, estate: Estate) {
  const totals = async (survey: Survey): Promise<CampaignTotals> => ({
    scoreSums: await store.scoreSums(survey.id, 'all'),
    itemCounts: await store.itemCounts(survey.id),
  });
  const [was, is] = await Promise.all([totals(before), totals(after)]);
  return compareCampaigns({ before: was, after: is }, before, after, estate);
}
