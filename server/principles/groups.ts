import type { Estate } from '../config/schema.js';
import { type Figure, worstStatus } from './figures.js';

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
  const sorted = [...judged].sort((a, b) => a.system.localeCompare(b.system) || a.site.localeCompare(b.site));
  const group = (members: readonly Judged<T>[]): Figure => ({
    ...figureOf(members.map((m) => m.tally)),
    status: worstStatus(members.map((m) => m.figure.status)),
  });
  const distinct = (values: string[]) => [...new Set(values)].sort();
  const hostOf = (site: string) => estate.sites.find((s) => s.id === site)?.host;
  const ownerOf = (system: string) => estate.systems.find((s) => s.id === system)?.owner;
  const organisations = distinct(
    sorted.flatMap((i) => [hostOf(i.site), ownerOf(i.system)].filter((o): o is string => o !== undefined)),
  );
  const overall = group(sorted);
  return {
    status: overall.status,
    value: overall.value,
    items: sorted.map((i) => ({ site: i.site, system: i.system, ...i.figure })),
    bySystem: distinct(sorted.map((i) => i.system)).map((system) => ({
      system,
      ...group(sorted.filter((i) => i.system === system)),
    })),
    bySite: distinct(sorted.map((i) => i.site)).map((site) => ({
      site,
      ...group(sorted.filter((i) => i.site === site)),
    })),
    byOrganisation: organisations.map((organisation) => {
      const figure = group(
        sorted.filter((i) => hostOf(i.site) === organisation || ownerOf(i.system) === organisation),
      );
      const attribution = sorted
        .flatMap((i) => i.figure.attribution)
        .filter((a) => a.organisation === organisation);
      const roles = (['owner', 'host'] as const)
        .map((role) => ({
          organisation,
          role,
          minutes: attribution.filter((a) => a.role === role).reduce((sum, a) => sum + a.minutes, 0),
        }))
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
