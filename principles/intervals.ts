/** Half-open spans of time [from, to) in UTC milliseconds, and the few operations accounting needs. */
export interface Span {
  from: number;
  to: number;
}

/** Sorted, non-overlapping, non-empty spans: the form every function here takes and returns. */
export type Spans = readonly Span[];

/** Sorts and merges spans that touch or overlap; empty ones are dropped. */
export function normalise(spans: Iterable<Span>): Span[] {
  const sorted = [...spans].filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else out.push({ from: span.from, to: span.to });
  }
  return out;
}

/** The time both cover. */
export function intersect(a: Spans, b: Spans): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Span;
    const y = b[j] as Span;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (to > from) out.push({ from, to });
    if (x.to < y.to) i++;
    else j++;
  }
  return out;
}

/** The time `a` covers and `b` does not. */
export function subtract(a: Spans, b: Spans): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const span of a) {
    let from = span.from;
    while (j < b.length && (b[j] as Span).to <= from) j++;
    let k = j;
    while (k < b.length && (b[k] as Span).from < span.to) {
      const cut = b[k] as Span;
      if (cut.from > from) out.push({ from, to: cut.from });
      from = Math.max(from, cut.to);
      k++;
    }
    if (from < span.to) out.push({ from, to: span.to });
  }
  return out;
}

/** Total length in milliseconds. */
export function length(spans: Spans): number {
  let total = 0;
  for (const span of spans) total += span.to - span.from;
  return total;
}

/**
 * The time both cover, without making any spans: `a` sorted and non-overlapping, `b` sorted by start
 * (spans of `b` that overlap one another count once).
 */
export function overlapLength(a: Spans, b: Spans): number {
  let total = 0;
  let i = 0;
  let done = Number.NEGATIVE_INFINITY;
  for (const span of b) {
    const start = Math.max(span.from, done);
    if (span.to <= start) continue;
    done = span.to;
    while (i < a.length && (a[i] as Span).to <= start) i++;
    for (let k = i; k < a.length && (a[k] as Span).from < span.to; k++) {
      const overlap = Math.min(span.to, (a[k] as Span).to) - Math.max(start, (a[k] as Span).from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** The time the spans cover within [from, to), without making any. */
export function lengthWithin(spans: Spans, from: number, to: number): number {
  let total = 0;
  for (const span of spans) {
    const overlap = Math.min(span.to, to) - Math.max(span.from, from);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/** The spans cut to [from, to). */
export function clip(spans: Spans, from: number, to: number): Span[] {
  return intersect(spans, [{ from, to }]);
}
