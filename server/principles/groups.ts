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

/** How a principle's tallies add up and are judged (a group's figure is judge(merge(members))). */
export interface Tallying<T> {
  merge(tallies: readonly T[]): T;
  judge(tally: T): Figure;
}

/** Members merged once, with the worst of their statuses: what a group's figure is made from. */
interface Part<T> {
  tally: T;
  status: Figure['status'];
}

/**
 * Items rolled up per system, per site, per organisation (what it hosts and what it owns) and as a
 * whole. A group's figure is made from its members' tallies merged (so a percentile comes from merged
 * histograms, never an average of percentiles); its status is the worst of its members'.
 *
 * Groups are built from parts merged once: a system's items by host organisation, so that a system,
 * the whole, and an owner's share are sums of a few parts rather than of every item again.
 */
export function rollUp<T>(estate: Estate, judged: readonly Judged<T>[], tallying: Tallying<T>): Groups {
  const sorted = [...judged].sort((a, b) => byId(a.system, b.system) || byId(a.site, b.site));
  const index = indexOf(estate);
  const hostOf = (site: string) => index.sites.get(site)?.host;
  const ownerOf = (system: string) => index.systems.get(system)?.owner;
  const partOf = (members: readonly { tally: T; status: Figure['status'] }[]): Part<T> => ({
    tally: tallying.merge(members.map((m) => m.tally)),
    status: worstStatus(members.map((m) => m.status)),
  });
  const figureOf = (part: Part<T>): Figure => ({ ...tallying.judge(part.tally), status: part.status });
  const itemParts = (members: readonly Judged<T>[]) =>
    members.map((m) => ({ tally: m.tally, status: m.figure.status }));

  // A system's items at the sites of each host organisation ('' for a site with none).
  const bySystemHost = groupBy(sorted, (i) => [`${i.system}\u0000${hostOf(i.site) ?? ''}`]);
  const systemHostParts = new Map(
    [...bySystemHost].map(([key, members]) => [key, partOf(itemParts(members))]),
  );
  const systemParts = new Map<string, Part<T>[]>();
  for (const [key, part] of systemHostParts) {
    const system = key.slice(0, key.indexOf('\u0000'));
    const parts = systemParts.get(system);
    if (parts) parts.push(part);
    else systemParts.set(system, [part]);
  }
  const bySystem = [...systemParts]
    .sort(([a], [b]) => byId(a, b))
    .map(([system, parts]) => ({ system, part: partOf(parts) }));
  const bySite = [...groupBy(sorted, (i) => [i.site])].map(([site, members]) => ({
    site,
    part: partOf(itemParts(members)),
  }));
  const overall = partOf(bySystem.map((s) => s.part));

  // An organisation's items: the sites it hosts, and the systems it owns at sites it does not host.
  const organisationParts = new Map<string, Part<T>[]>();
  const add = (organisation: string, part: Part<T>) => {
    const parts = organisationParts.get(organisation);
    if (parts) parts.push(part);
    else organisationParts.set(organisation, [part]);
  };
  for (const { site, part } of bySite) {
    const host = hostOf(site);
    if (host !== undefined) add(host, part);
  }
  for (const [key, part] of systemHostParts) {
    const cut = key.indexOf('\u0000');
    const owner = ownerOf(key.slice(0, cut));
    if (owner !== undefined && owner !== key.slice(cut + 1)) add(owner, part);
  }
  const byOrganisation = [...organisationParts]
    .sort(([a], [b]) => byId(a, b))
    .map(([organisation, parts]) => ({ organisation, figure: figureOf(partOf(parts)) }));
  const organisationsOf = (i: Judged<T>): string[] => {
    const host = hostOf(i.site);
    const owner = ownerOf(i.system);
    if (host === undefined) return owner === undefined ? [] : [owner];
    return owner === undefined || owner === host ? [host] : [host, owner];
  };
  const membersOf = groupBy(sorted, organisationsOf);
  const overallFigure = figureOf(overall);
  return {
    status: overallFigure.status,
    value: overallFigure.value,
    items: sorted.map((i) => ({ site: i.site, system: i.system, ...i.figure })),
    bySystem: bySystem.map(({ system, part }) => ({ system, ...figureOf(part) })),
    bySite: bySite.map(({ site, part }) => ({ site, ...figureOf(part) })),
    byOrganisation: byOrganisation.map(({ organisation, figure }) => {
      // The minutes the organisation answers for, as owner and as host: one walk over its items.
      const minutes = { owner: 0, host: 0 };
      for (const member of membersOf.get(organisation) ?? [])
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
