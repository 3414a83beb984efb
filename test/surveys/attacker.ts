import { BREAKDOWNS, type Breakdown, type Cell } from '../../surveys/disclosure.js';

/** Per breakdown, the keys of the groups a release shows. */
export type ShownKeys = Record<Breakdown, ReadonlySet<string>>;

export interface Found {
  readonly difference: number;
  readonly between: string;
}

/**
 * The smallest number of people (1 or more) by which two sets a reader can derive from one release
 * differ, searched exhaustively as a reader with the true cells would: every union of one
 * breakdown's shown groups, and the total minus every such union, against every such set of
 * another breakdown. Undefined when no two derivable sets differ at all. Exponential in the number
 * of groups: meant for small tables.
 */
export function smallestDerivableDifference(cells: readonly Cell[], shown: ShownKeys): Found | undefined {
  let best: Found | undefined;
  for (const [i, x] of BREAKDOWNS.entries()) {
    for (const y of BREAKDOWNS.slice(i + 1)) {
      const xs = partsOf(cells, x, shown[x]);
      const ys = partsOf(cells, y, shown[y]);
      // People per (x part, y part): a reader's sets are unions of parts.
      const edges = new Map<string, { a: number; b: number; n: number }>();
      for (const cell of cells) {
        if (cell.n <= 0) continue;
        const a = xs.index(cell);
        const b = ys.index(cell);
        const key = `${a},${b}`;
        const edge = edges.get(key) ?? { a, b, n: 0 };
        edge.n += cell.n;
        edges.set(key, edge);
      }
      const list = [...edges.values()];
      for (let maskA = 0; maskA < 1 << xs.names.length; maskA++) {
        for (let maskB = 0; maskB < 1 << ys.names.length; maskB++) {
          let difference = 0;
          for (const edge of list) {
            if (((maskA >> edge.a) & 1) !== ((maskB >> edge.b) & 1)) difference += edge.n;
          }
          if (difference > 0 && (best === undefined || difference < best.difference)) {
            best = {
              difference,
              between: `${x} {${pick(xs.names, maskA)}} and ${y} {${pick(ys.names, maskB)}}`,
            };
          }
        }
      }
    }
  }
  return best;
}

/** A breakdown's parts as a reader sees them: each shown group, and the rest (the total minus them). */
function partsOf(cells: readonly Cell[], by: Breakdown, shown: ReadonlySet<string>) {
  const names = [...shown].sort();
  if (cells.some((cell) => cell.n > 0 && !shown.has(cell[by]))) names.push('the rest');
  return {
    names,
    index: (cell: Cell) => (shown.has(cell[by]) ? names.indexOf(cell[by]) : names.length - 1),
  };
}

function pick(names: readonly string[], mask: number): string {
  return names.filter((_, i) => (mask >> i) & 1).join(', ');
}
