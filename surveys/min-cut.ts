/**
 * The lightest way to split a weighted graph in two (Stoer–Wagner, O(V³)). Disclosure uses it to
 * find, among every pair of sets a reader can derive from two breakdowns, the pair that differ by
 * the fewest people: that difference is exactly the weight of a cut (see disclosure.ts).
 */

export interface Cut {
  /** The total weight of the edges between the two sides. */
  readonly weight: number;
  /** The vertices on one side; the rest of the graph is the other. */
  readonly side: readonly number[];
}

/**
 * The minimum cut of a connected graph of two or more vertices, given as a symmetric matrix of
 * weights ≥ 0. Ties go to the first found, so the answer depends only on the matrix.
 */
export function minimumCut(weights: readonly (readonly number[])[]): Cut {
  const n = weights.length;
  // One flat array: the inner loops run O(V³) times, so they read memory in order.
  const w = new Float64Array(n * n);
  weights.forEach((row, u) => {
    row.forEach((weight, v) => {
      w[u * n + v] = weight;
    });
  });
  const members = Array.from({ length: n }, (_, i) => [i]);
  const active = Array.from({ length: n }, (_, i) => i);
  const added = new Uint8Array(n);
  const key = new Float64Array(n);
  let best: Cut = { weight: Number.POSITIVE_INFINITY, side: [] };
  while (active.length > 1) {
    // One phase: add vertices most tightly connected to those already added; the last one's
    // connection is a cut (it against everything else), and it then merges with the one before.
    added.fill(0);
    key.fill(0);
    let previous = -1;
    let last = -1;
    for (let k = 0; k < active.length; k++) {
      let next = -1;
      for (const v of active) {
        if (added[v] === 0 && (next === -1 || (key[v] as number) > (key[next] as number))) next = v;
      }
      added[next] = 1;
      previous = last;
      last = next;
      if (k === active.length - 1) break;
      const row = next * n;
      for (const v of active) if (added[v] === 0) key[v] = (key[v] as number) + (w[row + v] as number);
    }
    if ((key[last] as number) < best.weight) {
      best = { weight: key[last] as number, side: [...(members[last] as number[])] };
    }
    (members[previous] as number[]).push(...(members[last] as number[]));
    for (const v of active) {
      const merged = (w[previous * n + v] as number) + (w[last * n + v] as number);
      w[previous * n + v] = merged;
      w[v * n + previous] = merged;
    }
    w[previous * n + previous] = 0;
    active.splice(active.indexOf(last), 1);
  }
  return best;
}

/** The connected parts of a graph (edges of weight > 0), each as its vertices in order. */
export function componentsOf(weights: readonly (readonly number[])[]): number[][] {
  const seen = new Array<boolean>(weights.length).fill(false);
  const parts: number[][] = [];
  for (let start = 0; start < weights.length; start++) {
    if (seen[start]) continue;
    seen[start] = true;
    const part = [start];
    for (let i = 0; i < part.length; i++) {
      const row = weights[part[i] as number] as readonly number[];
      row.forEach((weight, v) => {
        if (weight > 0 && !seen[v]) {
          seen[v] = true;
          part.push(v);
        }
      });
    }
    parts.push(part.sort((a, b) => a - b));
  }
  return parts;
}
