import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Estate, Principle } from '../config/schema.js';
import { type Compliance, targetOf } from '../principles/compliance.js';
import type { Status } from '../principles/figures.js';

/** The metrics a sites × systems heatmap is drawn for: those measured at a site for a system. */
export type HeatmapMetric = 'availability' | 'latency';
const drawable = (p: Principle): p is Principle & { metric: HeatmapMetric } =>
  p.metric === 'availability' || p.metric === 'latency';

/** At most this many sites (rows) and systems (columns): past them, the worst are shown, and said so. */
export const HEATMAP_SITES = 20;
export const HEATMAP_SYSTEMS = 12;

export interface HeatmapCell {
  site: string;
  system: string;
  /** The principle the cell is judged by (the worst, when more than one covers it). */
  principle: string;
  status: Status;
  /** Availability in percent or the percentile in ms; null with no figure. */
  value: number | null;
  target: number;
  href: string;
}

export interface Heatmap {
  metric: HeatmapMetric;
  principles: { id: string; title: string; target: number; percentile?: number }[];
  sites: { id: string; name: string }[];
  systems: { id: string; name: string }[];
  cells: HeatmapCell[];
  /** How many sites and systems the principles cover in all: more than shown when only the worst are. */
  totalSites: number;
  totalSystems: number;
}

/**
 * The principles the heatmap shows: the one asked for (availability or latency), else every
 * availability principle, else every latency one. Undefined when the one asked for is not drawable.
 */
export function heatmapPrinciples(estate: Estate, asked?: string): Principle[] | undefined {
  const all = estate.principles.filter(drawable);
  if (asked !== undefined) {
    const one = all.find((p) => p.id === asked);
    return one ? [one] : undefined;
  }
  const availability = all.filter((p) => p.metric === 'availability');
  return availability.length > 0 ? availability : all.filter((p) => p.metric === 'latency');
}

const RANK: Record<Status, number> = { breached: 0, 'at-risk': 1, met: 2, 'no-data': 3 };

/**
 * Each (site, system) the principles cover, against its principle's target over the period, each cell
 * linking to its evidence. Where the principles cover more than fit, the worst sites and systems.
 */
export function heatmapOf(estate: Estate, judged: readonly Compliance[], period: string): Heatmap {
  const metric = (judged[0]?.principle.metric ?? 'availability') as HeatmapMetric;
  const latency = metric === 'latency';
  // Worst first: by status, then the lower availability or the higher latency.
  const worse = (a: Pick<HeatmapCell, 'status' | 'value'>, b: Pick<HeatmapCell, 'status' | 'value'>) =>
    RANK[a.status] - RANK[b.status] ||
    (latency ? (b.value ?? -1) - (a.value ?? -1) : (a.value ?? Infinity) - (b.value ?? Infinity));
  type Judged = Omit<HeatmapCell, 'href'>;
  const byPair = new Map<string, Judged>();
  for (const answer of judged) {
    const { principle } = answer;
    for (const item of answer.items) {
      if (item.site === null || item.system === null) continue;
      const cell: Judged = {
        site: item.site,
        system: item.system,
        principle: principle.id,
        status: item.status,
        value: item.value,
        target: item.target,
      };
      const key = `${item.site}\u0000${item.system}`;
      const seen = byPair.get(key);
      if (!seen || worse(cell, seen) < 0) byPair.set(key, cell);
    }
  }
  const worstOf = (key: (cell: Judged) => string) => {
    const worst = new Map<string, Judged>();
    for (const cell of byPair.values()) {
      const seen = worst.get(key(cell));
      if (!seen || worse(cell, seen) < 0) worst.set(key(cell), cell);
    }
    return worst;
  };
  const chosen = (worst: Map<string, Judged>, max: number) =>
    new Set(
      [...worst.entries()]
        .sort(([, a], [, b]) => worse(a, b))
        .slice(0, max)
        .map(([id]) => id),
    );
  const siteWorst = worstOf((cell) => cell.site);
  const systemWorst = worstOf((cell) => cell.system);
  const siteIds = chosen(siteWorst, HEATMAP_SITES);
  const systemIds = chosen(systemWorst, HEATMAP_SYSTEMS);
  const siteName = new Map<string, string>(estate.sites.map((s) => [s.id, s.name]));
  siteName.set(SERVER_VANTAGE_POINT, 'Vantage server');
  return {
    metric,
    principles: judged.map(({ principle }) => ({
      id: principle.id,
      title: principle.title,
      target: targetOf(principle),
      ...(principle.percentile !== undefined ? { percentile: principle.percentile } : {}),
    })),
    // In the estate's own order, so the same estate always reads the same way.
    sites: [...estate.sites.map((s) => s.id), SERVER_VANTAGE_POINT]
      .filter((id) => siteIds.has(id))
      .map((id) => ({ id, name: siteName.get(id) ?? id })),
    systems: estate.systems.filter((s) => systemIds.has(s.id)).map((s) => ({ id: s.id, name: s.name })),
    // Only the cells shown are given their link: a large estate has tens of thousands of others.
    cells: [...byPair.values()]
      .filter((cell) => siteIds.has(cell.site) && systemIds.has(cell.system))
      .map((cell) => ({
        ...cell,
        href: `/principles/${encodeURIComponent(cell.principle)}?${new URLSearchParams({ period, site: cell.site, system: cell.system })}`,
      })),
    totalSites: siteWorst.size,
    totalSystems: systemWorst.size,
  };
}
