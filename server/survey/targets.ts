import type { Estate, Survey } from '../config/schema.js';
import { targetOf } from '../principles/compliance.js';
import { systemInScope } from '../principles/survey.js';

/** A survey-score principle's target for one system a campaign rates. */
export interface SurveyTarget {
  system: string;
  instrument: string;
  principle: string;
  title: string;
  /** On the instrument's own 0–100 scale, as the principle compares it (SUS, or UMUX-Lite's own score). */
  target: number;
}

/**
 * The targets the estate's survey-score principles set for the systems a campaign rates, in the
 * estate file's order of principles: what the results page draws beside each system's score.
 */
export function surveyTargets(
  estate: Pick<Estate, 'systems' | 'principles'>,
  survey: Survey,
): SurveyTarget[] {
  const scorePrinciples = estate.principles.filter((p) => p.metric === 'survey-score');
  return Object.entries(survey.systems).flatMap(([systemId, instrument]) => {
    const system = estate.systems.find((s) => s.id === systemId);
    if (!system) return [];
    return scorePrinciples
      .filter((principle) => systemInScope(principle.scope, system))
      .map((principle) => ({
        system: systemId,
        instrument,
        principle: principle.id,
        title: principle.title,
        target: targetOf(principle),
      }));
  });
}
