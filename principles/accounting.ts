import { intersect, length, normalise, type Span, type Spans, subtract } from './intervals.js';
import type { Stretch } from './timeline.js';

export const ACCOUNTING_VERSION = 1;

/** Milliseconds of each kind, within the hours counted. */
export interface Minutes {
  up: number;
  down: number;
  maintenance: number;
  unknown: number;
}

/** One vantage point of a check: what its runs said, and the maintenance that covered it. */
export interface VantageTimeline {
  vantagePoint: string;
  /** The host organisation of the vantage point's site; null for the central server. */
  host: string | null;
  stretches: readonly Stretch[];
  maintenance: Spans;
}

export interface Attribution {
  organisation: string | null;
  role: 'owner' | 'host';
  ms: number;
}

export interface VantageAccount {
  vantagePoint: string;
  ms: Minutes;
  attribution: Attribution[];
}

type Kind = 'up' | 'down' | 'maintenance' | 'unknown';

/**
 * Accounts a check's time at each of its vantage points within `hours`. A down moment is the system
 * owner's when the check was down at that moment from at least half of the vantage points whose state
 * was known (up or down: silent and maintenance ones neither count for nor against); otherwise it is the
 * host's of the site that saw it.
 */
export function accountCheck(
  owner: string,
  vantages: readonly VantageTimeline[],
  hours: Spans,
): VantageAccount[] {
  const kinds = vantages.map((v) => kindSpans(v, hours));
  // Every moment where any vantage point's state may change: between two of them nothing does.
  const cuts = new Set<number>();
  for (const spans of kinds)
    for (const list of Object.values(spans)) for (const s of list) cuts.add(s.from).add(s.to);
  const points = [...cuts].sort((a, b) => a - b);
  const ownerMs = vantages.map(() => 0);
  const cursor = kinds.map(() => 0);
  const downs = kinds.map((k) => k.down);
  const ups = kinds.map((k) => k.up);
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i] as number;
    const to = points[i + 1] as number;
    let down = 0;
    let known = 0;
    const isDown = downs.map((list, v) => {
      const hit = covers(list, from, cursor, v);
      if (hit) down++;
      return hit;
    });
    ups.forEach((list) => {
      if (contains(list, from)) known++;
    });
    known += down;
    if (down === 0 || down * 2 < known) continue;
    isDown.forEach((hit, v) => {
      if (hit) ownerMs[v] = (ownerMs[v] as number) + (to - from);
    });
  }
  return vantages.map((v, i) => {
    const k = kinds[i] as Record<Kind, Span[]>;
    const ms: Minutes = {
      up: length(k.up),
      down: length(k.down),
      maintenance: length(k.maintenance),
      unknown: length(k.unknown),
    };
    const toOwner = ownerMs[i] as number;
    const attribution: Attribution[] = [];
    if (toOwner > 0) attribution.push({ organisation: owner, role: 'owner', ms: toOwner });
    if (ms.down - toOwner > 0)
      attribution.push({ organisation: v.host, role: 'host', ms: ms.down - toOwner });
    return { vantagePoint: v.vantagePoint, ms, attribution };
  });
}

/** A vantage point's time within the hours, by kind: maintenance first, whatever the runs said. */
function kindSpans(v: VantageTimeline, hours: Spans): Record<Kind, Span[]> {
  const maintenance = intersect(hours, normalise(v.maintenance));
  const rest = subtract(hours, maintenance);
  const up = intersect(rest, normalise(v.stretches.filter((s) => s.state === 'up')));
  const down = intersect(rest, normalise(v.stretches.filter((s) => s.state === 'down')));
  const unknown = subtract(subtract(rest, up), down);
  return { up, down, maintenance, unknown };
}

/** Whether a span of the sorted list covers the moment; the cursor walks forward as moments do. */
function covers(list: Spans, at: number, cursor: number[], index: number): boolean {
  let i = cursor[index] as number;
  while (i < list.length && (list[i] as Span).to <= at) i++;
  cursor[index] = i;
  const span = list[i];
  return span !== undefined && span.from <= at;
}

function contains(list: Spans, at: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = list[mid] as Span;
    if (at < span.from) high = mid - 1;
    else if (at >= span.to) low = mid + 1;
    else return true;
  }
  return false;
}
