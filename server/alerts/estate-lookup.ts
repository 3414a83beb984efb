import type { Check, Estate, Site, System } from '../config/schema.js';

/** An estate's checks, systems and sites by id. */
export interface EstateLookup {
  check(id: string): Check | undefined;
  system(id: string): System | undefined;
  site(id: string): Site | undefined;
}

const lookups = new WeakMap<Estate, EstateLookup>();

/**
 * The estate's lookup, made once per estate: the rules look up a check, its system and its sites for
 * every failing series each time a batch of runs is grouped, and a search of 10,000 checks each time
 * held the server for seconds when a thousand incidents opened at once.
 */
export function lookupOf(estate: Estate): EstateLookup {
  let lookup = lookups.get(estate);
  if (!lookup) {
    const checks = new Map(estate.checks.map((c) => [c.id, c]));
    const systems = new Map(estate.systems.map((s) => [s.id, s]));
    const sites = new Map(estate.sites.map((s) => [s.id, s]));
    lookup = { check: (id) => checks.get(id), system: (id) => systems.get(id), site: (id) => sites.get(id) };
    lookups.set(estate, lookup);
  }
  return lookup;
}
