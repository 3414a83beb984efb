import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Check, Estate, Principle, Site, System } from '../config/schema.js';

/** A check at one vantage point, with what the estate says of its system and site. */
export interface Pair {
  check: Check;
  system: System | undefined;
  vantagePoint: string;
  /** Undefined for the central server. */
  site: Site | undefined;
}

/** Where a check runs from: its sites, or the central server. */
export const vantagePointsOf = (check: Check): string[] =>
  check.from && check.from.length > 0 ? check.from : [SERVER_VANTAGE_POINT];

/**
 * Whether a principle's scope takes a check at a vantage point: every part given must match (systems,
 * sites, organisations by what they own or host, tags of the check, system or site); no scope takes all.
 */
export function inScope(scope: Principle['scope'], pair: Pair): boolean {
  if (!scope) return true;
  const { check, system, site } = pair;
  if (scope.systems && !scope.systems.includes(check.system)) return false;
  if (scope.sites && !(site && scope.sites.includes(site.id))) return false;
  if (scope.organisations && !scope.organisations.some((org) => system?.owner === org || site?.host === org))
    return false;
  if (scope.tags) {
    const tags = new Set([...(check.tags ?? []), ...(system?.tags ?? []), ...(site?.tags ?? [])]);
    if (!scope.tags.some((tag) => tags.has(tag))) return false;
  }
  return true;
}

/** The estate's sites and systems by id, for reading many checks' pairs without a search each. */
export interface EstateIndex {
  sites: Map<string, Site>;
  systems: Map<string, System>;
}

export const indexOf = (estate: Pick<Estate, 'sites' | 'systems'>): EstateIndex => ({
  sites: new Map(estate.sites.map((site) => [site.id, site])),
  systems: new Map(estate.systems.map((system) => [system.id, system])),
});

/** Every check of the estate at each of its vantage points; pass an index when reading many checks. */
export function pairsOf(estate: Estate, check: Check, index: EstateIndex = indexOf(estate)): Pair[] {
  const system = index.systems.get(check.system);
  return vantagePointsOf(check).map((vantagePoint) => ({
    check,
    system,
    vantagePoint,
    site: index.sites.get(vantagePoint),
  }));
}
