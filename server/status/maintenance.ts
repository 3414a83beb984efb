import type { Check } from '../config/schema.js';
import type { SiteRow, SystemRow } from '../estate/rows.js';
import type { Window } from '../principles/windows.js';
import type { StatusMaintenance } from './types.js';

interface Names {
  sites: Pick<SiteRow, 'id' | 'name' | 'tags'>[];
  systems: Pick<SystemRow, 'id' | 'name' | 'tags'>[];
  checks: Pick<Check, 'id' | 'system' | 'tags'>[];
}

/**
 * Planned maintenance on now and coming up, each occurrence once, what it covers said by name. A
 * window's checks and tags are internal: they are told as the systems and sites they reach.
 */
export function plannedWork(
  windows: Window[],
  names: Names,
  now: number,
): { now: StatusMaintenance[]; next: StatusMaintenance[] } {
  const current: StatusMaintenance[] = [];
  const next: StatusMaintenance[] = [];
  for (const window of windows) {
    const covered = coveredBy(window, names);
    for (const span of window.spans) {
      if (span.to <= now) continue;
      const item = {
        title: window.title,
        from: new Date(span.from).toISOString(),
        to: new Date(span.to).toISOString(),
        ...covered,
      };
      (span.from <= now ? current : next).push(item);
    }
  }
  const byStart = (a: StatusMaintenance, b: StatusMaintenance) => a.from.localeCompare(b.from);
  return { now: current.sort(byStart), next: next.sort(byStart) };
}

function coveredBy(window: Window, names: Names): { systems: string[]; sites: string[] } {
  const scope = window.scope;
  const tags = new Set(scope.tags ?? []);
  const tagged = (item: { tags?: string[] | undefined }) => (item.tags ?? []).some((tag) => tags.has(tag));
  const systemIds = new Set([
    ...(scope.systems ?? []),
    ...names.checks.filter((c) => scope.checks?.includes(c.id) || tagged(c)).map((c) => c.system),
    ...names.systems.filter(tagged).map((s) => s.id),
  ]);
  const siteIds = new Set([...(scope.sites ?? []), ...names.sites.filter(tagged).map((s) => s.id)]);
  return {
    systems: names.systems.filter((s) => systemIds.has(s.id)).map((s) => s.name),
    sites: names.sites.filter((s) => siteIds.has(s.id)).map((s) => s.name),
  };
}
