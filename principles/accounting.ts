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
  /** The down time itself, within the hours: sorted spans, for sums over parts of the period. */
  down: Span[];
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
  const ownerMs = ownersShare(
    kinds.map((k) => k.down),
    kinds.map((k) => k.up),
  );
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
    return { vantagePoint: v.vantagePoint, ms, attribution, down: k.down };
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

/**
 * Each vantage point's down time that is the owner's: a sweep over every moment where some vantage
 * point's state may change (between two of them none does), counting at each stretch between them the
 * vantage points down and those known (up or down). A lone vantage point's down time is all the owner's.
 */
function ownersShare(downs: readonly Spans[], ups: readonly Spans[]): number[] {
  const count = downs.length;
  // With at most two vantage points a down one is always at least half of those known; with none down
  // there is nothing to share.
  if (count <= 2 || downs.every((list) => list.length === 0)) return downs.map((list) => length(list));
  let size = 0;
  for (let v = 0; v < count; v++) size += 2 * ((downs[v] as Spans).length + (ups[v] as Spans).length);
  const cuts = new Float64Array(size);
  let n = 0;
  for (let v = 0; v < count; v++)
    for (const list of [downs[v] as Spans, ups[v] as Spans])
      for (const span of list) {
        cuts[n++] = span.from;
        cuts[n++] = span.to;
      }
  cuts.sort();
  const ownerMs = new Array<number>(count).fill(0);
  const downAt = new Int32Array(count);
  const upAt = new Int32Array(count);
  const isDown = new Uint8Array(count);
  for (let i = 0; i + 1 < n; i++) {
    const from = cuts[i] as number;
    const to = cuts[i + 1] as number;
    if (to === from) continue;
    let down = 0;
    let known = 0;
    for (let v = 0; v < count; v++) {
      isDown[v] = covers(downs[v] as Spans, from, downAt, v) ? 1 : 0;
      down += isDown[v] as number;
      if (covers(ups[v] as Spans, from, upAt, v)) known++;
    }
    known += down;
    if (down === 0 || down * 2 < known) continue;
    for (let v = 0; v < count; v++) if (isDown[v]) ownerMs[v] = (ownerMs[v] as number) + (to - from);
  }
  return ownerMs;
}

/** Whether a span of the sorted list covers the moment; the cursor walks forward as moments do. */
function covers(list: Spans, at: number, cursor: Int32Array, index: number): boolean {
  let i = cursor[index] as number;
  while (i < list.length && (list[i] as Span).to <= at) i++;
  cursor[index] = i;
  const span = list[i];
  return span !== undefined && span.from <= at;
}
