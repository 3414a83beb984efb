import type { Minutes } from '../../principles/accounting.js';
import type { Estate } from '../config/schema.js';
import type { Compliance, ComplianceItem } from './compliance.js';
import { type AttributedMinutes, type Figure, worstStatus } from './figures.js';

const noMinutes = (): Minutes => ({ up: 0, down: 0, maintenance: 0, unknown: 0 });

/**
 * A group of items of a principle whose value is a worst case (days to expiry, a survey score): the
 * group's value is its lowest item's, its status the worst, its minutes, budget, burn and attribution
 * the sums of its items'.
 */
export function worstOf(members: readonly ComplianceItem[], target: number): Figure {
  const values = members.map((m) => m.value).filter((v): v is number => v !== null);
  const minutes = noMinutes();
  const budget = { allowed: 0, spent: 0, left: 0 };
  const burn = { '1h': 0, '6h': 0, '1d': 0, '3d': 0 };
  const attribution = new Map<string, AttributedMinutes>();
  for (const m of members) {
    for (const k of Object.keys(minutes) as (keyof Minutes)[]) minutes[k] += m.minutes[k];
    for (const k of Object.keys(budget) as (keyof typeof budget)[]) budget[k] += m.budget[k];
    for (const k of Object.keys(burn) as (keyof typeof burn)[]) burn[k] += m.burn[k];
    for (const a of m.attribution) {
      const key = `${a.organisation ?? ''}\u0000${a.role}`;
      const seen = attribution.get(key);
      if (seen) {
        seen.minutes += a.minutes;
        if (a.responses !== undefined) seen.responses = (seen.responses ?? 0) + a.responses;
      } else attribution.set(key, { ...a });
    }
  }
  return {
    status: worstStatus(members.map((m) => m.status)),
    value: values.length === 0 ? null : Math.min(...values),
    target,
    minutes,
    budget,
    burn,
    attribution: [...attribution.values()].sort((a, b) => b.minutes - a.minutes),
  };
}

/** An item's figure with no time in it: a survey figure is counted in responses, not minutes. */
export function timelessFigure(fields: Pick<Figure, 'status' | 'value' | 'target' | 'attribution'>): Figure {
  return {
    ...fields,
    minutes: noMinutes(),
    budget: { allowed: 0, spent: 0, left: 0 },
    burn: { '1h': 0, '6h': 0, '1d': 0, '3d': 0 },
  };
}

/** The roll-ups of a worst-case principle's items: per system, per site, per organisation, and overall. */
export function groupsOf(
  estate: Estate,
  items: ComplianceItem[],
  target: number,
): Pick<Compliance, 'status' | 'value' | 'items' | 'bySystem' | 'bySite' | 'byOrganisation'> {
  const distinct = (values: (string | null)[]) =>
    [...new Set(values.filter((v): v is string => v !== null))].sort();
  const hostOf = (site: string | null) => estate.sites.find((s) => s.id === site)?.host;
  const ownerOf = (system: string | null) => estate.systems.find((s) => s.id === system)?.owner;
  const organisations = distinct(items.flatMap((i) => [hostOf(i.site) ?? null, ownerOf(i.system) ?? null]));
  const overall = worstOf(items, target);
  return {
    status: overall.status,
    value: overall.value,
    items,
    bySystem: distinct(items.map((i) => i.system)).map((system) => ({
      system,
      ...worstOf(
        items.filter((i) => i.system === system),
        target,
      ),
    })),
    bySite: distinct(items.map((i) => i.site)).map((site) => ({
      site,
      ...worstOf(
        items.filter((i) => i.site === site),
        target,
      ),
    })),
    byOrganisation: organisations.map((organisation) => {
      const figure = worstOf(
        items.filter((i) => hostOf(i.site) === organisation || ownerOf(i.system) === organisation),
        target,
      );
      const attribution = figure.attribution.filter((a) => a.organisation === organisation);
      return {
        organisation,
        ...figure,
        attribution,
        attributed: attribution.reduce((sum, a) => sum + a.minutes, 0),
      };
    }),
  };
}
