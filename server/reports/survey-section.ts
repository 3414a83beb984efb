import type { Estate, Principle, Survey } from '../config/schema.js';
import { targetOf } from '../principles/compliance.js';
import { latestPublished } from '../principles/survey.js';
import type { SurveyFigures } from '../survey/results-cache.js';
import type { ReportContent } from './types.js';

interface SystemView {
  items: { key: string; withheld: boolean; scores?: Record<string, { mean?: number } | undefined> }[];
}

/**
 * An annual report's survey: the latest campaign whose results were published by the end of the year
 * against the one before it, each system's score as the results API shows it, so the privacy rules hold
 * here too (a withheld score stays withheld, in both years).
 */
export async function surveySection(
  estate: Estate,
  figures: SurveyFigures,
  yearEnd: number,
): Promise<NonNullable<ReportContent['survey']>> {
  const latest = latestPublished(estate.surveys, yearEnd);
  const before = latest
    ? latestPublished(
        estate.surveys.filter((s) => s.id !== latest.id && s.closes < latest.closes),
        yearEnd,
      )
    : undefined;
  if (!latest) return { campaign: null, previousCampaign: null, systems: [] };
  const now = await scoresOf(estate, figures, latest);
  const then = before ? await scoresOf(estate, figures, before) : new Map<string, number | null>();
  const systems = Object.entries(latest.systems)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([system, instrument]) => {
      const score = now.get(system);
      return {
        system,
        instrument: String(instrument),
        score: score ?? null,
        previous: then.get(system) ?? null,
        target: targetFor(estate.principles, system),
        withheld: score === null,
      };
    });
  return { campaign: latest.id, previousCampaign: before?.id ?? null, systems };
}

/** Each rated system's mean score; null when withheld (absent when nobody rated it). */
async function scoresOf(
  estate: Estate,
  figures: SurveyFigures,
  survey: Survey,
): Promise<Map<string, number | null>> {
  const view = (await figures(survey, estate, 'system')) as SystemView;
  return new Map(
    view.items.map((group) => [group.key, group.withheld ? null : (group.scores?.[group.key]?.mean ?? null)]),
  );
}

/** The target of the first survey-score principle that takes the system, if one does. */
function targetFor(principles: readonly Principle[], system: string): number | null {
  const principle = principles.find(
    (p) => p.metric === 'survey-score' && (!p.scope?.systems || p.scope.systems.includes(system)),
  );
  return principle ? targetOf(principle) : null;
}
