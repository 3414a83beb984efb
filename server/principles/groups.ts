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
  const partOf = (parts: readonly Part<T>[]): Part<T> => ({
    tally: tallying.merge(parts.map((p) => p.tally)),
    status: worstStatus(parts.map((p) => p.status)),
  });
  const itemsPart = (members: readonly Judged<T>[]): Part<T> => ({
    tally: tallying.merge(members.map((m) => m.tally)),
    status: worstStatus(members.map((m) => m.figure.status)),
  });
  const figureOf = (part: Part<T>): Figure => ({ ...tallying.judge(part.tally), status: part.status });

  // A system's items at the sites of each host organisation ('' for a site with none), systems in order
  // and hosts in order within each: the items of a system are together, sorted as they are.
  const systemHostParts: { system: string; host: string; part: Part<T> }[] = [];
  const bySystem: { system: string; part: Part<T> }[] = [];
  for (let start = 0; start < sorted.length; ) {
    const system = (sorted[start] as Judged<T>).system;
    let end = start;
    const byHost = new Map<string, Judged<T>[]>();
    for (; end < sorted.length && (sorted[end] as Judged<T>).system === system; end++) {
      const item = sorted[end] as Judged<T>;
      const host = hostOf(item.site) ?? '';
      const members = byHost.get(host);
      if (members) members.push(item);
      else byHost.set(host, [item]);
    }
    const parts = [...byHost]
      .sort(([a], [b]) => byId(a, b))
      .map(([host, members]) => ({ system, host, part: itemsPart(members) }));
    systemHostParts.push(...parts);
    bySystem.push({ system, part: partOf(parts.map((p) => p.part)) });
    start = end;
  }
  const sites = new Map<string, Judged<T>[]>();
  for (const item of sorted) {
    const members = sites.get(item.site);
    if (members) members.push(item);
    else sites.set(item.site, [item]);
  }
  const bySite = [...sites]
    .sort(([a], [b]) => byId(a, b))
    .map(([site, members]) => ({ site, part: itemsPart(members) }));
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
  for (const { system, host, part } of systemHostParts) {
    const owner = ownerOf(system);
    if (owner !== undefined && owner !== host) add(owner, part);
  }
  // The minutes each organisation answers for, as owner and as host: one walk over the items, each
  // adding what it attributes to its host or owner, in the items' order.
  const answered = new Map<string, { owner: number; host: number }>();
  for (const item of sorted) {
    const host = hostOf(item.site);
    const owner = ownerOf(item.system);
    for (const a of item.figure.attribution) {
      if (a.organisation === null || (a.organisation !== host && a.organisation !== owner)) continue;
      let minutes = answered.get(a.organisation);
      if (!minutes) {
        minutes = { owner: 0, host: 0 };
        answered.set(a.organisation, minutes);
      }
      minutes[a.role] += a.minutes;
    }
  }
  const overallFigure = figureOf(overall);
  return {
    status: overallFigure.status,
    value: overallFigure.value,
    items: sorted.map((i) => ({ site: i.site, system: i.system, ...i.figure })),
    bySystem: bySystem.map(({ system, part }) => ({ system, ...figureOf(part) })),
    bySite: bySite.map(({ site, part }) => ({ site, ...figureOf(part) })),
    byOrganisation: [...organisationParts]
      .sort(([a], [b]) => byId(a, b))
      .map(([organisation, parts]) => {
        const figure = figureOf(partOf(parts));
        const minutes = answered.get(organisation) ?? { owner: 0, host: 0 };
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
