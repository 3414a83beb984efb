import type { Estate, Principle, Survey, System } from '../config/schema.js';
import { targetOf } from '../principles/compliance.js';
import { latestPublished } from '../principles/survey.js';
import type { Shown } from '../principles/survey-figures.js';
import type { SurveyFigures } from '../survey/results-cache.js';

export interface SurveyHeadlineSystem {
  system: string;
  name: string;
  instrument: string;
  /** The score as the results API gives it; null when withheld or unanswered. */
  score: number | null;
  responses: number | null;
  withheld: boolean;
  /** The survey-score principle that covers the system, when one does. */
  principle: { id: string; title: string; target: number } | null;
  status: 'met' | 'breached' | 'no-data';
  /** The score in the campaign before, null when it had none (or withheld it); and now less then. */
  previous: number | null;
  change: number | null;
}

export interface SurveyHeadline {
  survey: { id: string; title: string; closes: string };
  previousSurvey: { id: string; title: string } | null;
  systems: SurveyHeadlineSystem[];
}

interface SystemView {
  items: { key: string; withheld: boolean; scores?: Record<string, Shown | undefined> }[];
}

/**
 * The latest published campaign: each rated system's score against the survey-score principle that
 * covers it, and the change from the campaign before. Read through the results API's own privacy
 * rules, so what it withholds stays withheld here.
 */
export async function surveyHeadline(
  estate: Estate,
  figures: SurveyFigures,
  now: number,
): Promise<SurveyHeadline | null> {
  const survey = latestPublished(estate.surveys, now);
  if (!survey) return null;
  const before = latestPublished(
    estate.surveys.filter((s) => s.id !== survey.id && s.closes < survey.closes),
    now,
  );
  const scoresOf = async (campaign: Survey) => {
    const view = (await figures(campaign, estate, 'system')) as SystemView;
    return (system: string): Shown | 'withheld' | undefined => {
      const group = view.items.find((g) => g.key === system);
      if (group?.withheld) return 'withheld';
      const shown = group?.scores?.[system];
      return shown?.withheld === true ? 'withheld' : shown;
    };
  };
  const now_ = await scoresOf(survey);
  const then = before ? await scoresOf(before) : undefined;
  const principles = estate.principles.filter((p) => p.metric === 'survey-score');
  const systems = estate.systems
    .filter((system) => Object.hasOwn(survey.systems, system.id))
    .map((system): SurveyHeadlineSystem => {
      const shown = now_(system.id);
      const prior = then?.(system.id);
      const score = typeof shown === 'object' && typeof shown.mean === 'number' ? shown.mean : null;
      const previous = typeof prior === 'object' && typeof prior.mean === 'number' ? prior.mean : null;
      const principle = principles.find((p) => covers(p, system));
      const target = principle ? targetOf(principle) : null;
      return {
        system: system.id,
        name: system.name,
        instrument: survey.systems[system.id] as string,
        score,
        responses: typeof shown === 'object' ? (shown.n ?? null) : null,
        withheld: shown === 'withheld',
        principle: principle && target !== null ? { id: principle.id, title: principle.title, target } : null,
        status: score === null || target === null ? 'no-data' : score < target ? 'breached' : 'met',
        previous,
        change: score !== null && previous !== null ? Math.round((score - previous) * 10) / 10 : null,
      };
    });
  return {
    survey: { id: survey.id, title: survey.title, closes: survey.closes },
    previousSurvey: before ? { id: before.id, title: before.title } : null,
    systems,
  };
}

/** Whether a survey-score principle's scope takes a system: by id, owner and tags, as the principle does. */
function covers(principle: Principle, system: System): boolean {
  const scope = principle.scope;
  if (!scope) return true;
  if (scope.systems && !scope.systems.includes(system.id)) return false;
  if (scope.organisations && !scope.organisations.includes(system.owner)) return false;
  if (scope.tags && !scope.tags.some((tag) => system.tags?.includes(tag))) return false;
  return true;
}
