import type { Estate } from '../config/schema.js';
import { type Figure, worstStatus } from './figures.js';
import { indexOf } from './scope.js';
import { byId } from './timeline-pass.js';

/** An item's figure with what its group figures are made from (tallies, histograms). */
export interface Judged<T> {
  site: string;
  system: string;
  figure: Figure;
  tally: T;
}

export interface Groups {
  status: Figure['status'];
  value: number | null;
  items: (Figure & { site: string; system: string })[];
  bySystem: (Figure & { system: string })[];
  bySite: (Figure & { site: string })[];
  byOrganisation: (Figure & { organisation: string; attributed: number })[];
}

/**
 * Items rolled up per system, per site, per organisation (what it hosts and what it owns) and as a
 * whole. A group's figure is made from its members' tallies merged (so a percentile comes from merged
 * histograms, never an average of percentiles); its status is the worst of its members'.
 */
export function rollUp<T>(
  estate: Estate,
  judged: readonly Judged<T>[],
  figureOf: (tallies: T[]) => Figure,
): Groups {
  const sorted = [...judged].sort((a, b) => byId(a.system, b.system) || byId(a.site, b.site));
  const group = (members: readonly Judged<T>[]): Figure => ({
    ...figureOf(members.map((m) => m.tally)),
    status: worstStatus(members.map((m) => m.figure.status)),
  });
  const index = indexOf(estate);
  const overall = group(sorted);
  // An organisation's items: the sites it hosts and the systems it owns (once each, when both).
  const organisationsOf = (i: Judged<T>): string[] => {
    const host = index.sites.get(i.site)?.host;
    const owner = index.systems.get(i.system)?.owner;
    if (host === undefined) return owner === undefined ? [] : [owner];
    return owner === undefined || owner === host ? [host] : [host, owner];
  };
  return {
    status: overall.status,
    value: overall.value,
    items: sorted.map((i) => ({ site: i.site, system: i.system, ...i.figure })),
    bySystem: [...groupBy(sorted, (i) => [i.system])].map(([system, members]) => ({
      system,
      ...group(members),
    })),
    bySite: [...groupBy(sorted, (i) => [i.site])].map(([site, members]) => ({ site, ...group(members) })),
    byOrganisation: [...groupBy(sorted, organisationsOf)].map(([organisation, members]) => {
      const figure = group(members);
      // The minutes the organisation answers for, as owner and as host: one walk over its items.
      const minutes = { owner: 0, host: 0 };
      for (const member of members)
        for (const a of member.figure.attribution)
          if (a.organisation === organisation) minutes[a.role] += a.minutes;
      const roles = (['owner', 'host'] as const)
        .map((role) => ({ organisation, role, minutes: minutes[role] }))
        .filter((a) => a.minutes > 0);
      return {
        organisation,
        ...figure,
        attribution: roles,
        attributed: roles.reduce((sum, a) => sum + a.minutes, 0),
      };
    }),
  };
}

/** Items under each key they belong to, keys in order: one pass, however many groups. */
function groupBy<T>(items: readonly T[], keysOf: (item: T) => string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items)
    for (const key of keysOf(item)) {
      const members = groups.get(key);
      if (members) members.push(item);
      else groups.set(key, [item]);
    }
  return new Map([...groups].sort(([a], [b]) => byId(a, b)));
}
