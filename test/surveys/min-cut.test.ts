import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { componentsOf, cutsUnder, minimumCut } from '../../surveys/min-cut.js';

/** The weight of the edges leaving a set of vertices. */
function cutWeight(weights: number[][], side: ReadonlySet<number>): number {
  let total = 0;
  weights.forEach((row, u) => {
    row.forEach((w, v) => {
      if (side.has(u) && !side.has(v)) total += w;
    });
  });
  return total;
}

/** A symmetric matrix of n vertices from a list of edge weights (upper triangle, row by row). */
function matrix(n: number, upper: number[]): number[][] {
  const weights = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let k = 0;
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const w = upper[k++] ?? 0;
      (weights[u] as number[])[v] = w;
      (weights[v] as number[])[u] = w;
    }
  }
  return weights;
}

describe('minimumCut', () => {
  it('finds the light edge between two heavy halves', () => {
    // 0–1 and 2–3 joined by 10, the halves by 1 and 2.
    const weights = matrix(4, [10, 1, 0, 0, 2, 10]);
    const cut = minimumCut(weights);
    expect(cut.weight).toBe(3);
    expect(new Set(cut.side)).toSatisfy((side: Set<number>) => side.has(0) === side.has(1));
  });

  it('is the lightest of all cuts, as trying every split finds, and its side weighs what it says', () => {
    const graph = fc
      .integer({ min: 2, max: 7 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.array(fc.nat({ max: 9 }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
        ),
      );
    fc.assert(
      fc.property(graph, ([n, upper]) => {
        const weights = matrix(n, upper);
        if (componentsOf(weights).length !== 1) return;
        let lightest = Number.POSITIVE_INFINITY;
        for (let mask = 1; mask < (1 << n) - 1; mask++) {
          const side = new Set(Array.from({ length: n }, (_, i) => i).filter((i) => (mask >> i) & 1));
          lightest = Math.min(lightest, cutWeight(weights, side));
        }
        const cut = minimumCut(weights);
        expect(cut.weight).toBe(lightest);
        expect(cutWeight(weights, new Set(cut.side))).toBe(lightest);
        expect(cut.side.length).toBeGreaterThan(0);
        expect(cut.side.length).toBeLessThan(n);
      }),
      { numRuns: 300 },
    );
  });
});

describe('componentsOf', () => {
  it('groups vertices joined by edges of weight above 0', () => {
    expect(componentsOf(matrix(5, [3, 0, 0, 0, 0, 0, 0, 1, 0, 0]))).toEqual([[0, 1], [2, 3], [4]]);
  });
});

describe('cutsUnder', () => {
  it('finds, in each connected part, a cut under the minimum exactly when trying every split finds one', () => {
    const graph = fc.integer({ min: 2, max: 8 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 15 })), {
          minLength: (n * (n - 1)) / 2,
          maxLength: (n * (n - 1)) / 2,
        }),
        fc.integer({ min: 5, max: 12 }),
      ),
    );
    fc.assert(
      fc.property(graph, ([n, upper, min]) => {
        const weights = matrix(n, upper);
        const found = [...cutsUnder(weights, min)];
        for (const part of componentsOf(weights)) {
          let lightest = Number.POSITIVE_INFINITY;
          for (let mask = 1; mask < (1 << part.length) - 1; mask++) {
            const side = new Set(part.filter((_, i) => (mask >> i) & 1));
            lightest = Math.min(lightest, cutWeight(weights, side));
          }
          const cut = found.find((f) => f.part.includes(part[0] as number));
          if (lightest < min) {
            expect(cut?.part).toEqual(part);
            expect(cut?.cut.weight).toBe(lightest);
            expect(cutWeight(weights, new Set(cut?.cut.side))).toBe(lightest);
          } else expect(cut).toBeUndefined();
        }
      }),
      { numRuns: 400 },
    );
  });
});
