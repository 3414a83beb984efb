import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Estate, Principle } from '../config/schema.js';
import { type Compliance, targetOf } from '../principles/compliance.js';
import type { Status } from '../principles/figures.js';

/** The metrics a sites × systems heatmap is drawn for: those measured at a site for a system. */
export const HEATMAP_METRICS = ['availability', 'latency'] as const;

/** At most this many sites (rows) and systems (columns): past them, the worst are shown, and said so. */
export const HEATMAP_SITES = 20;
export const HEATMAP_SYSTEMS = 12;

export interface HeatmapCell {
  site: string;
  system: string;
  status: Status;
  /** Availability in percent or the percentile in ms; null with no figure. */
  value: number | null;
  target: number;
  href: string;
}

export interface Heatmap {
  principle: {
    id: string;
    title: string;
    metric: 'availability' | 'latency';
    target: number;
    percentile?: number;
  };
  sites: { id: string; name: string }[];
  systems: { id: string; name: string }[];
  cells: HeatmapCell[];
  /** How many sites and systems the principle covers in all: more than shown when only the worst are. */
  totalSites: number;
  totalSystems: number;
}

/** The principle the heatmap shows: the one asked for, else the first availability one, else latency. */
export function heatmapPrinciple(estate: Estate, asked?: string): Principle | undefined {
  const drawable = estate.principles.filter((p) => (HEATMAP_METRICS as readonly string[]).includes(p.metric));
  if (asked) return drawable.find((p) => p.id === asked);
  return drawable.find((p) => p.metric === 'availability') ?? drawable[0];
}

const RANK: Record<Status, number> = { breached: 0, 'at-risk': 1, met: 2, 'no-data': 3 };

/** Each (site, system) of a principle over the period against its target, each cell linking to its evidence. */
export function heatmapOf(estate: Estate, judged: Compliance, period: string): Heatmap {
  const { principle } = judged;
  const latency = principle.metric === 'latency';
  // Worst first: by status, then the lower availability or the higher latency.
  const worse = (a: { status: Status; value: number | null }, b: { status: Status; value: number | null }) =>
    RANK[a.status] - RANK[b.status] ||
    (latency ? (b.value ?? -1) - (a.value ?? -1) : (a.value ?? Infinity) - (b.value ?? Infinity));
  const chosen = <T extends { status: Status; value: number | null }>(list: T[], max: number) =>
    [...list].sort(worse).slice(0, max);
  const siteIds = new Set(chosen(judged.bySite, HEATMAP_SITES).map((s) => s.site));
  const systemIds = new Set(chosen(judged.bySystem, HEATMAP_SYSTEMS).map((s) => s.system));
  const siteName = new Map<string, string>(estate.sites.map((s) => [s.id, s.name]));
  siteName.set(SERVER_VANTAGE_POINT, 'Vantage server');
  const sites = [...estate.sites.map((s) => s.id), SERVER_VANTAGE_POINT]
    .filter((id) => siteIds.has(id))
    .map((id) => ({ id, name: siteName.get(id) ?? id }));
  const systems = estate.systems.filter((s) => systemIds.has(s.id)).map((s) => ({ id: s.id, name: s.name }));
  const cells = judged.items.flatMap((item): HeatmapCell[] => {
    if (item.site === null || item.system === null) return [];
    if (!siteIds.has(item.site) || !systemIds.has(item.system)) return [];
    const query = new URLSearchParams({ period, site: item.site, system: item.system });
    return [
      {
        site: item.site,
        system: item.system,
        status: item.status,
        value: item.value,
        target: item.target,
        href: `/principles/${encodeURIComponent(principle.id)}?${query}`,
      },
    ];
  });
  return {
    principle: {
      id: principle.id,
      title: principle.title,
      metric: principle.metric as 'availability' | 'latency',
      target: targetOf(principle),
      ...(principle.percentile !== undefined ? { percentile: principle.percentile } : {}),
    },
    sites,
    systems,
    cells,
    totalSites: judged.bySite.length,
    totalSystems: judged.bySystem.length,
  };
}
