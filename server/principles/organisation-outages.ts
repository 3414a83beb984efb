import type { Stretch } from '../../principles/timeline.js';
import type { Check, Estate } from '../config/schema.js';
import type { ComplianceSources } from './compliance.js';
import type { AttributedMinutes } from './figures.js';
import { outagesIn } from './outages.js';
import { indexOf, pairsOf } from './scope.js';
import { byId, readTimelines } from './timeline-pass.js';
import { allWindows } from './windows.js';

/** One outage with some of its minutes attributed to the organisation. */
export interface OrganisationOutage {
  checkId: string;
  checkName: string | null;
  system: string;
  vantagePoint: string;
  from: string;
  to: string;
  /** The whole outage at this vantage point, whoever answers for it. */
  minutes: number;
  /** The minutes attributed to the organisation, as owner, host or both. */
  ours: number;
  attribution: AttributedMinutes[];
}

/**
 * Every outage between two instants with minutes attributed to one organisation, oldest first: the
 * checks of the systems it owns and of every system at the sites it hosts, read in one pass over the
 * timeline. Minutes follow the accounting's rule, as each check's own outages do.
 */
export async function organisationOutages(
  estate: Estate,
  { results, maintenance }: Pick<ComplianceSources, 'results' | 'maintenance'>,
  organisation: string,
  from: number,
  to: number,
): Promise<OrganisationOutage[]> {
  const index = indexOf(estate);
  // Only checks it could answer for: of a system it owns, or run from a site it hosts.
  const concerned = new Map<string, Check>();
  for (const check of estate.checks) {
    const pairs = pairsOf(estate, check, index);
    if (pairs.some((pair) => pair.system?.owner === organisation || pair.site?.host === organisation))
      concerned.set(check.id, check);
  }
  const windows = await allWindows(estate, maintenance, from, to);
  const found: OrganisationOutage[] = [];
  const visit = (checkId: string, timeline: Map<string, Stretch[]>) => {
    const check = concerned.get(checkId);
    if (!check) return;
    for (const vantage of outagesIn(pairsOf(estate, check, index), timeline, windows, [{ from, to }]))
      for (const outage of vantage.outages) {
        const attribution = outage.attribution.filter((a) => a.organisation === organisation);
        const ours = attribution.reduce((sum, a) => sum + a.minutes, 0);
        if (ours > 0)
          found.push({
            checkId,
            checkName: check.name ?? null,
            system: check.system,
            vantagePoint: vantage.vantagePoint,
            from: outage.from,
            to: outage.to,
            minutes: outage.minutes,
            ours,
            attribution,
          });
      }
  };
  await readTimelines(results, from, to, [{ visit, finish: () => undefined }]);
  return found.sort(
    (a, b) => byId(a.from, b.from) || byId(a.checkId, b.checkId) || byId(a.vantagePoint, b.vantagePoint),
  );
}
