import { campaignState, resultsPublished } from '../../surveys/campaign.js';
import { itemOfKey } from '../../surveys/instruments.js';
import { WITHHELD_REASONS } from '../../surveys/privacy.js';
import type { Estate, Principle, Site, Survey, System } from '../config/schema.js';
import type { SurveyFigures } from '../survey/results-cache.js';
import type { Compliance, ComplianceItem } from './compliance.js';
import { targetOf } from './compliance.js';
import type { Status } from './figures.js';
import { groupsOf, timelessFigure } from './item-groups.js';
import type { Period } from './period.js';
import { type Shown, shareOf } from './survey-figures.js';

export const SURVEY_METRICS = ['survey-score', 'survey-net', 'survey-share'] as const;
export type SurveyMetric = (typeof SURVEY_METRICS)[number];
export const isSurveyMetric = (metric: string): metric is SurveyMetric =>
  (SURVEY_METRICS as readonly string[]).includes(metric);

/**
 * The campaign a survey principle reads at the end of a period: of those whose results were
 * published by then, the one that closes last (then opens last).
 */
export function latestPublished(surveys: readonly Survey[], at: number): Survey | undefined {
  return surveys
    .filter((s) => campaignState(s, at).state !== 'upcoming' && resultsPublished(s, at))
    .sort((a, b) => b.closes.localeCompare(a.closes) || b.opens.localeCompare(a.opens))[0];
}

type Figures = Record<string, Shown | undefined>;
interface ResultsView {
  overall: { scores: Figures; infra: Figures; distributions: Figures };
  items: {
    key: string;
    withheld: boolean;
    reason?: string;
    scores?: Figures;
    infra?: Figures;
    distributions?: Figures;
  }[];
}

/**
 * A survey principle judged on the latest published campaign, through the results API's own privacy
 * rules (its figures are read as it gives them, never worked out again from counts): a system's
 * score or a per-system item per system (its owner's), an item asked once per site (its host's).
 */
export async function surveyCompliance(
  estate: Estate,
  figures: SurveyFigures,
  principle: Principle,
  period: Period,
): Promise<
  Pick<Compliance, 'status' | 'value' | 'items' | 'bySystem' | 'bySite' | 'byOrganisation' | 'message'>
> {
  const target = targetOf(principle);
  const survey = latestPublished(estate.surveys, period.to);
  if (!survey) {
    const none = groupsOf(estate, [], target);
    return { ...none, message: 'no data: no survey campaign had published results by the end of the period' };
  }
  const item = principle.metric === 'survey-score' ? undefined : itemOfKey(principle.item ?? '');
  const perSite = item !== undefined && !item.perSystem;
  let items: ComplianceItem[];
  if (perSite) {
    const view = (await figures(survey, estate, 'site')) as ResultsView;
    items = estate.sites
      .filter((site) => siteInScope(principle.scope, site))
      .map((site) => {
        const group = view.items.find((g) => g.key === site.id);
        const shown = group?.withheld
          ? withheldFigure(group.reason)
          : group?.[principle.metric === 'survey-net' ? 'infra' : 'distributions']?.[principle.item ?? ''];
        return itemOf(principle, target, survey, shown, {
          site: site.id,
          system: null,
          organisation: site.host,
          role: 'host',
        });
      });
  } else {
    const view = (await figures(survey, estate, 'system')) as ResultsView;
    items = estate.systems
      .filter((system) => Object.hasOwn(survey.systems, system.id) && systemInScope(principle.scope, system))
      .map((system) => {
        let shown: Shown | undefined;
        if (principle.metric === 'survey-score') {
          const group = view.items.find((g) => g.key === system.id);
          shown = group?.withheld ? withheldFigure(group.reason) : group?.scores?.[system.id];
        } else {
          const key = `${system.id}/${principle.item}`;
          shown = (principle.metric === 'survey-net' ? view.overall.infra : view.overall.distributions)[key];
        }
        return itemOf(principle, target, survey, shown, {
          site: null,
          system: system.id,
          organisation: system.owner,
          role: 'owner',
        });
      });
  }
  return { ...groupsOf(estate, items, target), message: `read from ${survey.title} (${survey.id})` };
}

const withheldFigure = (reason: string | undefined): Shown => ({
  n: null,
  withheld: true,
  reason: reason ?? WITHHELD_REASONS.tooFew,
});

interface Whose {
  site: string | null;
  system: string | null;
  organisation: string;
  role: 'owner' | 'host';
}

/** One item's figure from what the results API shows: a number, or no data and why. */
function itemOf(
  principle: Principle,
  target: number,
  survey: Survey,
  shown: Shown | undefined,
  whose: Whose,
): ComplianceItem {
  const { site, system } = whose;
  const noData = (message: string, withheld = false): ComplianceItem => ({
    site,
    system,
    ...timelessFigure({ status: 'no-data', value: null, target, attribution: [] }),
    responses: null,
    ...(withheld ? { withheld: true } : {}),
    message,
  });
  if (!shown) return noData(`no data: no responses to it in ${survey.title}`);
  if (shown.withheld === true)
    return noData(`no data (withheld): ${shown.reason ?? WITHHELD_REASONS.tooFew}`, true);
  let value: number | undefined;
  if (principle.metric === 'survey-score') value = shown.mean;
  else if (principle.metric === 'survey-net') value = shown.net;
  else {
    const share = shareOf(principle.answers ?? [], shown);
    if (share === 'withheld') return noData(`no data (withheld): ${WITHHELD_REASONS.smallAnswers}`, true);
    value = share;
  }
  if (value === undefined || shown.n === null || shown.n === undefined)
    return noData(`no data: no answers to it in ${survey.title}`);
  const status: Status = value < target ? 'breached' : 'met';
  return {
    site,
    system,
    ...timelessFigure({
      status,
      value,
      target,
      attribution: [{ organisation: whose.organisation, role: whose.role, minutes: 0, responses: shown.n }],
    }),
    responses: shown.n,
  };
}

/** A system's survey figure is in scope by the scope's systems, organisations (its owner) and tags. */
export function systemInScope(scope: Principle['scope'], system: System): boolean {
  if (!scope) return true;
  if (scope.systems && !scope.systems.includes(system.id)) return false;
  if (scope.organisations && !scope.organisations.includes(system.owner)) return false;
  if (scope.tags && !scope.tags.some((tag) => system.tags?.includes(tag))) return false;
  return true;
}

/** A site's survey figure is in scope by the scope's sites, organisations (its host) and tags. */
function siteInScope(scope: Principle['scope'], site: Site): boolean {
  if (!scope) return true;
  if (scope.sites && !scope.sites.includes(site.id)) return false;
  if (scope.organisations && !scope.organisations.includes(site.host)) return false;
  if (scope.tags && !scope.tags.some((tag) => site.tags?.includes(tag))) return false;
  return true;
}
