import type { Estate, Survey } from '../server/config/schema.js';
import type { SiteComment, SurveyCell } from './counts.js';
import { discloseBreakdowns } from './disclosure.js';
import { minGroupSizeOf } from './privacy.js';

/**
 * A campaign's comments, by the site they were given about, for shown sites only: a site's comments
 * appear only when the site's results do (at least the minimum group size, and not withheld to
 * protect another group). They are listed under sites alone, never also by organisation or staff
 * group, so the same text cannot be matched across two breakdowns to narrow down who wrote it; and
 * in order of their text, never of arrival. Comments were redacted before they were stored.
 */
export function surveyComments(
  stored: { cells: SurveyCell[]; comments: SiteComment[] },
  survey: Survey,
  estate: Estate,
) {
  const min = minGroupSizeOf(estate);
  const { cells, comments } = stored;
  const sites = discloseBreakdowns(cells, min).site;
  const bySite = new Map<string, string[]>();
  for (const { site, comment } of comments) bySite.set(site, [...(bySite.get(site) ?? []), comment]);
  const items: { key: string; n: number; comments: string[] }[] = [];
  let withheld = 0;
  for (const [site, texts] of [...bySite].sort((a, b) => a[0].localeCompare(b[0]))) {
    const shown = sites.get(site);
    if (!shown || shown.withheld) withheld += 1;
    else items.push({ key: site, n: shown.n, comments: texts });
  }
  return { campaign: survey.id, title: survey.title, minGroupSize: min, items, withheld };
}
