import type { Minutes } from '../../principles/accounting.js';
import type { Estate } from '../config/schema.js';
import type { Compliance, ComplianceItem } from './compliance.js';
import { type AttributedMinutes, attributionKey, type Figure, worstStatus } from './figures.js';

const noMinutes = (): Minutes => ({ up: 0, down: 0, maintenance: 0, unknown: 0 });

/**
 * A group of items of a principle whose value is a worst case (days to expiry, a survey score): the
 * group's value is its lowest item's, its status the worst, its minutes, budget, burn and attribution
 * the sums of its items'.
 */
export function worstOf(members: readonly ComplianceItem[], target: number): Figure {
  const minutes = noMinutes();
  const budget = { allowed: 0, spent: 0, left: 0 };
  const burn = { '1h': 0, '6h': 0, '1d': 0, '3d': 0 };
  const attribution = new Map<string, AttributedMinutes>();
  let value: number | null = null;
  for (const m of members) {
    if (m.value !== null && (value === null || m.value < value)) value = m.value;
    minutes.up += m.minutes.up;
    minutes.down += m.minutes.down;
    minutes.maintenance += m.minutes.maintenance;
    minutes.unknown += m.minutes.unknown;
    budget.allowed += m.budget.allowed;
    budget.spent += m.budget.spent;
    budget.left += m.budget.left;
    burn['1h'] += m.burn['1h'];
    burn['6h'] += m.burn['6h'];
    burn['1d'] += m.burn['1d'];
    burn['3d'] += m.burn['3d'];
    for (const a of m.attribution) {
      const key = attributionKey(a.organisation, a.role);
      const seen = attribution.get(key);
      if (seen) {
        seen.minutes += a.minutes;
        if (a.responses !== undefined) seen.responses = (seen.responses ?? 0) + a.responses;
      } else attribution.set(key, { ...a });
    }
  }
  return {
    status: worstStatus(members.map((m) => m.status)),
    value,
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
  const hosts = new Map(estate.sites.map((s) => [s.id, s.host]));
  const owners = new Map(estate.systems.map((s) => [s.id, s.owner]));
  // One pass: each item under its system, its site, and the organisations hosting and owning them.
  const bySystem = new Map<string, ComplianceItem[]>();
  const bySite = new Map<string, ComplianceItem[]>();
  const byOrganisation = new Map<string, ComplianceItem[]>();
  const add = (
    groups: Map<string, ComplianceItem[]>,
    key: string | null | undefined,
    item: ComplianceItem,
  ) => {
    if (key === null || key === undefined) return;
    const members = groups.get(key);
    if (members) members.push(item);
    else groups.set(key, [item]);
  };
  for (const item of items) {
    add(bySystem, item.system, item);
    add(bySite, item.site, item);
    const host = item.site === null ? undefined : hosts.get(item.site);
    const owner = item.system === null ? undefined : owners.get(item.system);
    add(byOrganisation, host, item);
    if (owner !== host) add(byOrganisation, owner, item);
  }
  const sorted = (groups: Map<string, ComplianceItem[]>) =>
    [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const overall = worstOf(items, target);
  return {
    status: overall.status,
    value: overall.value,
    items,
    bySystem: sorted(bySystem).map(([system, members]) => ({ system, ...worstOf(members, target) })),
    bySite: sorted(bySite).map(([site, members]) => ({ site, ...worstOf(members, target) })),
    byOrganisation: sorted(byOrganisation).map(([organisation, members]) => {
      const figure = worstOf(members, target);
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
