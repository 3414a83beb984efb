import { type Stretch, stretchesOf, type TimedRun } from '../../principles/timeline.js';

export interface TimelineRows {
  overlapping(check: number, vp: number, from: number, to: number): Stretch[];
  remove(check: number, vp: number, from: number): void;
  insert(check: number, vp: number, stretch: Stretch): void;
}

/**
 * Brings a vantage point's timeline up to date with runs just stored, whenever they started. Runs
 * starting at `lo` or later decide the state from `lo` until `hi` (the last new run's start plus its
 * hold), so that window is worked out again from the stored runs in it and written over the old rows;
 * a stretch crossing either edge keeps its part outside, and is joined to the new rows when the state
 * is the same. In order or late (an agent's backlog), the rows come out as if every run had arrived
 * in order.
 */
export function rewriteTimeline(
  rows: TimelineRows,
  check: number,
  vp: number,
  window: { lo: number; hi: number },
  runsIn: (from: number, to: number) => TimedRun[],
  hold: (at: number) => number,
): void {
  const { lo, hi } = window;
  const computed = stretchesOf(runsIn(lo, hi), hold)
    .map((s) => ({ ...s, to: Math.min(s.to, hi) }))
    .filter((s) => s.to > s.from);
  // Rows touching the window's edges too, so equal states either side are joined.
  const old = rows.overlapping(check, vp, lo - 1, hi + 1);
  const kept: Stretch[] = [];
  for (const row of old) {
    rows.remove(check, vp, row.from);
    if (row.from < lo) kept.push({ ...row, to: Math.min(row.to, lo) });
    if (row.to > hi) kept.push({ ...row, from: Math.max(row.from, hi) });
  }
  const all = [...kept, ...computed].sort((a, b) => a.from - b.from);
  const joined: Stretch[] = [];
  for (const stretch of all) {
    const last = joined[joined.length - 1];
    if (last && last.state === stretch.state && last.to === stretch.from) last.to = stretch.to;
    else joined.push({ ...stretch });
  }
  for (const stretch of joined) rows.insert(check, vp, stretch);
}
