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

/**
 * Vertices that no cut lighter than `min` can separate: those joined by edges (or, once joined,
 * by edges added up) weighing `min` or more. Any cut between them would cut those edges.
 */
export function heavyGroups(weights: readonly (readonly number[])[], min: number): number[][] {
  const n = weights.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (v: number): number => {
    let root = v;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[v] !== root) [v, parent[v]] = [parent[v] as number, root];
    return root;
  };
  for (let changed = true; changed; ) {
    changed = false;
    const between = new Map<number, number>();
    weights.forEach((row, u) => {
      row.forEach((weight, v) => {
        if (v <= u || weight <= 0) return;
        const [a, b] = [find(u), find(v)];
        if (a === b) return;
        const key = Math.min(a, b) * n + Math.max(a, b);
        between.set(key, (between.get(key) ?? 0) + weight);
      });
    });
    for (const [key, weight] of between) {
      const [a, b] = [find(Math.floor(key / n)), find(key % n)];
      if (weight >= min && a !== b) {
        parent[Math.max(a, b)] = Math.min(a, b);
        changed = true;
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let v = 0; v < n; v++) groups.set(find(v), [...(groups.get(find(v)) ?? []), v]);
  return [...groups.values()];
}

/**
 * Each connected part of a graph whose lightest cut weighs under `min`, with that cut. Vertices no
 * such cut can separate are merged first (`heavyGroups`), so the exact search runs on a graph of
 * a few vertices where people mostly stay within their own organisation's sites.
 */
export function* cutsUnder(
  weights: readonly (readonly number[])[],
  min: number,
): Generator<{ part: number[]; cut: Cut }> {
  const groups = heavyGroups(weights, min);
  const merged = groups.map((a) =>
    groups.map((b) => {
      if (a === b) return 0;
      let total = 0;
      for (const u of a) for (const v of b) total += weights[u]?.[v] ?? 0;
      return total;
    }),
  );
  for (const part of componentsOf(merged)) {
    if (part.length < 2) continue;
    const cut = minimumCut(part.map((u) => part.map((v) => merged[u]?.[v] ?? 0)));
    if (cut.weight >= min) continue;
    const members = (i: number) => groups[part[i] as number] as number[];
    yield {
      part: part.flatMap((_, i) => members(i)).sort((a, b) => a - b),
      cut: { weight: cut.weight, side: cut.side.flatMap(members).sort((a, b) => a - b) },
    };
  }
}
