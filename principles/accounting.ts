import { intersect, length, normalise, overlapLength, type Span, type Spans, subtract } from './intervals.js';
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
  return accountCheckWithin(owner, vantages, [hours])[0] as VantageAccount[];
}

/**
 * The same for several definitions of hours at once (principles counting core hours and all hours), by
 * definition: each vantage point's kinds of time and the owner's moments are found once, over the time
 * all of them span, and each definition takes its part. A moment's owner depends only on the vantage
 * points' states at that moment, never on the hours, so each answer is the one accountCheck gives.
 */
export function accountCheckWithin(
  owner: string,
  vantages: readonly VantageTimeline[],
  hoursList: readonly Spans[],
): VantageAccount[][] {
  // One definition is accounted within its own hours; several within the span around them all.
  const several = hoursList.length > 1;
  const base = several ? around(hoursList) : (hoursList[0] ?? []);
  // The owner's share compares vantage points' up time only when there are more than two of them;
  // with several definitions it is kept for all, as each takes its own part of it.
  const kinds = vantages.map((v) => kindsOf(v, base, several || vantages.length > 2));
  const ownerSpans = ownersShare(
    kinds.map((k) => k.down),
    kinds.map((k) => k.up ?? []),
  );
  return hoursList.map((hours) =>
    vantages.map((v, i) => {
      const kind = kinds[i] as Kinds;
      const mine = ownerSpans[i] as Spans;
      const ms: Minutes = several ? partOf(kind, hours) : kind.ms;
      const toOwner = several ? overlapLength(hours, mine) : length(mine);
      const attribution: Attribution[] = [];
      if (toOwner > 0) attribution.push({ organisation: owner, role: 'owner', ms: toOwner });
      if (ms.down - toOwner > 0)
        attribution.push({ organisation: v.host, role: 'host', ms: ms.down - toOwner });
      const down = !several ? kind.down : ms.down === 0 ? [] : intersect(hours, kind.down);
      return { vantagePoint: v.vantagePoint, ms, attribution, down };
    }),
  );
}

/** A vantage point's time of each kind within some of the hours it was accounted over. */
function partOf(kind: Kinds, hours: Spans): Minutes {
  const up = overlapLength(hours, kind.up ?? []);
  const down = kind.down.length === 0 ? 0 : overlapLength(hours, kind.down);
  const maintenance = kind.maintenance.length === 0 ? 0 : overlapLength(hours, kind.maintenance);
  return { up, down, maintenance, unknown: length(hours) - maintenance - up - down };
}

/** The one span from the earliest start to the latest end of some lists of spans. */
function around(lists: readonly Spans[]): Span[] {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const list of lists) {
    const first = list[0];
    const last = list[list.length - 1];
    if (first && first.from < from) from = first.from;
    if (last && last.to > to) to = last.to;
  }
  return to > from ? [{ from, to }] : [];
}

interface Kinds {
  ms: Minutes;
  /** The maintenance within the hours. */
  maintenance: Span[];
  /** The down time, within the hours and outside maintenance. */
  down: Span[];
  /** The up time likewise, when asked for. */
  up: Span[] | null;
}

/**
 * A vantage point's time within the hours, by kind: maintenance first, whatever the runs said; unknown is
 * what is left. One walk over the stretches and the hours together, making only the spans asked for.
 * A vantage point's stretches never overlap (the timeline is written so); should two, the earlier wins.
 */
function kindsOf(v: VantageTimeline, hours: Spans, keepUp: boolean): Kinds {
  const maintenance = v.maintenance.length === 0 ? [] : intersect(hours, normalise(v.maintenance));
  const rest = maintenance.length === 0 ? hours : subtract(hours, maintenance);
  const down: Span[] = [];
  const up: Span[] | null = keepUp ? [] : null;
  let upMs = 0;
  let downMs = 0;
  let j = 0;
  let done = Number.NEGATIVE_INFINITY;
  for (const stretch of inOrder(v.stretches)) {
    const start = Math.max(stretch.from, done);
    if (stretch.to <= start) continue;
    done = stretch.to;
    while (j < rest.length && (rest[j] as Span).to <= start) j++;
    for (let k = j; k < rest.length && (rest[k] as Span).from < stretch.to; k++) {
      const from = Math.max(start, (rest[k] as Span).from);
      const to = Math.min(stretch.to, (rest[k] as Span).to);
      if (to <= from) continue;
      if (stretch.state === 'up') {
        upMs += to - from;
        if (up) append(up, from, to);
      } else {
        downMs += to - from;
        append(down, from, to);
      }
    }
  }
  const maintenanceMs = length(maintenance);
  return {
    ms: { up: upMs, down: downMs, maintenance: maintenanceMs, unknown: length(rest) - upMs - downMs },
    maintenance,
    down,
    up,
  };
}

/** Stretches oldest first: as the timeline gives them, or sorted when they are not. */
function inOrder(stretches: readonly Stretch[]): readonly Stretch[] {
  for (let i = 1; i < stretches.length; i++)
    if ((stretches[i] as Stretch).from < (stretches[i - 1] as Stretch).from)
      return [...stretches].sort((a, b) => a.from - b.from);
  return stretches;
}

/** Adds [from, to) to sorted spans, joining it to the last when they touch. */
function append(spans: Span[], from: number, to: number): void {
  const last = spans[spans.length - 1];
  if (last && last.to === from) last.to = to;
  else spans.push({ from, to });
}

/**
 * Each vantage point's down time that is the owner's, as sorted spans: a sweep over every moment where
 * some vantage point's state may change (between two of them none does), counting at each stretch
 * between them the vantage points down and those known (up or down). A lone vantage point's down time is
 * all the owner's.
 */
function ownersShare(downs: readonly Spans[], ups: readonly Spans[]): readonly Spans[] {
  const count = downs.length;
  // With at most two vantage points a down one is always at least half of those known; with none down
  // there is nothing to share.
  if (count <= 2 || downs.every((list) => list.length === 0)) return downs;
  // Only moments some vantage point is down can be anyone's: the sweep looks inside those alone, so an
  // up stretch's ends matter only where they fall within one.
  const anyDown = normalise(downs.flat());
  const moments: number[] = [];
  for (let v = 0; v < count; v++) {
    for (const span of downs[v] as Spans) moments.push(span.from, span.to);
    // Up spans are in order, so their ends are: one walk along the down time finds those within it.
    let d = 0;
    const within = (at: number) => {
      while (d < anyDown.length && (anyDown[d] as Span).to <= at) d++;
      return d < anyDown.length && (anyDown[d] as Span).from <= at;
    };
    for (const span of ups[v] as Spans) {
      if (d === anyDown.length) break;
      if (within(span.from)) moments.push(span.from);
      if (within(span.to)) moments.push(span.to);
    }
  }
  const cuts = new Float64Array(moments).sort();
  const n = cuts.length;
  const owners = downs.map((): Span[] => []);
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
    for (let v = 0; v < count; v++) if (isDown[v]) append(owners[v] as Span[], from, to);
  }
  return owners;
}

/** Whether a span of the sorted list covers the moment; the cursor walks forward as moments do. */
function covers(list: Spans, at: number, cursor: Int32Array, index: number): boolean {
  let i = cursor[index] as number;
  while (i < list.length && (list[i] as Span).to <= at) i++;
  cursor[index] = i;
  const span = list[i];
  return span !== undefined && span.from <= at;
}
