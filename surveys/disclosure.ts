import { cutsUnder } from './min-cut.js';
import { WITHHELD_REASONS, type WithheldReason } from './privacy.js';

/**
 * Which groups of a campaign may be shown, deciding every breakdown at once, against every set a
 * reader can derive from one release.
 *
 * Each breakdown (organisation, site, staff group) cuts the same respondents a different way, and
 * they are not nested: staff work at other organisations' sites. In one breakdown a reader sees the
 * shown groups and the total, so the sets they can derive are the unions of its "atoms": each shown
 * group, and the rest (the total minus the shown groups: every withheld group together). Between two
 * breakdowns X and Y, a set A derived from X and a set B derived from Y differ by |A Δ B| people.
 * Put every atom of X and of Y in one graph, joined by how many people they share (the counts per
 * cell, which only the server has): choosing A and B is choosing a set of atoms, and |A Δ B| is the
 * weight of the edges leaving it, a cut. So the smallest difference a reader can find between any
 * two derivable sets of X and Y is the minimum cut of each connected part of that graph, found
 * exactly in polynomial time (min-cut.ts) however many groups there are. Within one breakdown two
 * derivable sets differ by whole atoms, and an atom alone is a cut too, so the same test covers it.
 *
 * The rule: every pair of breakdowns' cuts weigh nothing or at least the minimum group size. Where
 * one weighs 1 … minimum − 1, the smallest extra withholding that closes that cut is made (one group
 * merged into the rest across the cut, or two, one on each side) and everything is tested again.
 *
 * When deciding one figure, cells may say whether their people all gave the same answer; an atom
 * whose people all did would tell each one's answer, so it is withheld too (a group), or another
 * group joins it (the rest).
 *
 * Not searched: sums of three or more derived sets (A − B + C across three breakdowns), and sets of
 * the minimum size or more whose people all gave one answer but that are not atoms (the difference
 * of two breakdowns' sets).
 */

export const BREAKDOWNS = ['organisation', 'site', 'staffGroup'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** How many respondents (or answers to one item) fell in one organisation × site × staff group. */
export interface Cell {
  readonly organisation: string;
  readonly site: string;
  readonly staffGroup: string;
  readonly n: number;
  /**
   * When deciding one figure: the answer everyone in the cell gave, or null when they differ.
   * Absent when sameness does not matter (counts of respondents).
   */
  readonly alike?: string | null;
}

export type Shown =
  | { readonly n: number; readonly withheld: false }
  | { readonly n: null; readonly withheld: true; readonly reason: WithheldReason };

/** Per breakdown, each group's count or why it is withheld. */
export type Disclosure = Record<Breakdown, ReadonlyMap<string, Shown>>;

/** Groups withheld before anything else is decided (a whole group, when deciding one item). */
export type Withholdings = Partial<Record<Breakdown, ReadonlyMap<string, WithheldReason>>>;

/** Whether a group is shown, for looking up groups a breakdown does not list. */
export function shownIn(disclosure: Disclosure, by: Breakdown, key: string): Shown {
  return disclosure[by].get(key) ?? { n: null, withheld: true, reason: WITHHELD_REASONS.tooFew };
}

/** The groups of every breakdown withheld in a disclosure, to withhold them again for one item. */
export function withheldGroups(disclosure: Disclosure, reason: WithheldReason): Withholdings {
  const out: Partial<Record<Breakdown, Map<string, WithheldReason>>> = {};
  for (const by of BREAKDOWNS) {
    out[by] = new Map([...disclosure[by]].flatMap(([key, shown]) => (shown.withheld ? [[key, reason]] : [])));
  }
  return out;
}

/** Whether the people of some cells all gave one answer (none of them counts as not). */
export function allAlike(cells: readonly Cell[]): boolean {
  let answer: string | undefined;
  for (const cell of cells) {
    if (cell.n <= 0) continue;
    if (cell.alike === undefined || cell.alike === null) return false;
    if (answer !== undefined && answer !== cell.alike) return false;
    answer = cell.alike;
  }
  return answer !== undefined;
}

/** The rest of a breakdown: every withheld group together, as a reader derives it. */
const REST = '\u0000rest';

interface Atoms {
  /** Atom of each cell (a shown group's key, or REST), in the order of the cells. */
  readonly of: readonly string[];
  /** Each atom's key and size, shown groups in key order, then the rest if it holds anyone. */
  readonly list: readonly { readonly key: string; readonly n: number }[];
}

type Withholding = { by: Breakdown; key: string; reason: WithheldReason };

/**
 * Which groups each breakdown shows, from the counts per cell (see the top of this file). Groups in
 * `already` stay withheld with their reason.
 */
export function discloseBreakdowns(
  cells: readonly Cell[],
  min: number,
  already: Withholdings = {},
): Disclosure {
  const people = cells.filter((cell) => cell.n > 0);
  const sizes = Object.fromEntries(BREAKDOWNS.map((by) => [by, sizesOf(people, by)])) as Record<
    Breakdown,
    Map<string, number>
  >;
  const withheld = Object.fromEntries(
    BREAKDOWNS.map((by) => {
      const forced = new Map(already[by] ?? []);
      for (const [key, n] of sizes[by])
        if (!forced.has(key) && n < min) forced.set(key, WITHHELD_REASONS.tooFew);
      return [by, forced];
    }),
  ) as Record<Breakdown, Map<string, WithheldReason>>;
  // Pairs of breakdowns found sound, by how many groups each had withheld then: a pair is only
  // searched again once one of its two breakdowns withholds more.
  const sound = new Map<string, string>();
  // Each round withholds at least one more group, so this ends within the number of groups.
  for (;;) {
    const atoms = Object.fromEntries(
      BREAKDOWNS.map((by) => [by, atomsOf(people, by, sizes[by], withheld[by])]),
    ) as Record<Breakdown, Atoms>;
    const fix =
      alikeLeak(people, atoms) ??
      linkedLeak(people, atoms, min, (x, y) => {
        const pair = `${x},${y}`;
        const now = `${withheld[x].size},${withheld[y].size}`;
        if (sound.get(pair) === now) return false;
        sound.set(pair, now);
        return true;
      });
    if (!fix) break;
    for (const { by, key, reason } of fix) withheld[by].set(key, reason);
  }
  const shown = (by: Breakdown) =>
    new Map(
      [...sizes[by]]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([key, n]): [string, Shown] => {
          const reason = withheld[by].get(key);
          return [key, reason ? { n: null, withheld: true, reason } : { n, withheld: false }];
        }),
    );
  return { organisation: shown('organisation'), site: shown('site'), staffGroup: shown('staffGroup') };
}

function sizesOf(cells: readonly Cell[], by: Breakdown): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const cell of cells) sizes.set(cell[by], (sizes.get(cell[by]) ?? 0) + cell.n);
  return sizes;
}

function atomsOf(
  cells: readonly Cell[],
  by: Breakdown,
  sizes: ReadonlyMap<string, number>,
  withheld: ReadonlyMap<string, WithheldReason>,
): Atoms {
  const list = [...sizes]
    .filter(([key]) => !withheld.has(key))
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([key, n]) => ({ key, n }));
  const rest = [...sizes].reduce((sum, [key, n]) => (withheld.has(key) ? sum + n : sum), 0);
  if (rest > 0) list.push({ key: REST, n: rest });
  return { of: cells.map((cell) => (withheld.has(cell[by]) ? REST : cell[by])), list };
}

/**
 * Atoms whose people all gave one answer: every such shown group is withheld (each must be, so all
 * at once); a rest that is alike takes in the smallest shown group of its breakdown, so that a
 * reader can no longer find it by subtraction.
 */
function alikeLeak(cells: readonly Cell[], atoms: Record<Breakdown, Atoms>): Withholding[] | undefined {
  if (!cells.some((cell) => typeof cell.alike === 'string')) return undefined;
  for (const by of BREAKDOWNS) {
    const { of, list } = atoms[by];
    // Each atom's one answer so far; null once two differ or someone's cell differs within.
    const answer = new Map<string, string | null>();
    cells.forEach((cell, i) => {
      const atom = of[i] as string;
      const seen = answer.get(atom);
      const own = typeof cell.alike === 'string' ? cell.alike : null;
      answer.set(atom, seen === undefined ? own : seen === own ? seen : null);
    });
    const alike = list.filter((atom) => typeof answer.get(atom.key) === 'string');
    const groups = alike.filter((atom) => atom.key !== REST);
    if (groups.length > 0) return groups.map(({ key }) => ({ by, key, reason: WITHHELD_REASONS.sameAnswer }));
    if (alike.length === 0) continue;
    const smallest = smallestOf(list.filter((a) => a.key !== REST));
    if (smallest) return [{ by, key: smallest.key, reason: WITHHELD_REASONS.sameAnswerRest }];
  }
  return undefined;
}

/** The first pair of breakdowns with a cut under the minimum, and the withholding that closes it. */
function linkedLeak(
  cells: readonly Cell[],
  atoms: Record<Breakdown, Atoms>,
  min: number,
  changed: (x: Breakdown, y: Breakdown) => boolean,
): Withholding[] | undefined {
  for (const [i, x] of BREAKDOWNS.entries()) {
    for (const y of BREAKDOWNS.slice(i + 1)) {
      if (!changed(x, y)) continue;
      const graph = graphOf(cells, x, y, atoms);
      for (const { part, cut } of cutsUnder(graph.weights, min)) {
        const fix = closing(graph.vertices, part, new Set(cut.side), atoms);
        if (fix) return fix;
      }
    }
  }
  return undefined;
}

interface Vertex {
  readonly by: Breakdown;
  readonly key: string;
  readonly n: number;
}

/** The atoms of two breakdowns as one graph, each edge the people two atoms share. */
function graphOf(cells: readonly Cell[], x: Breakdown, y: Breakdown, atoms: Record<Breakdown, Atoms>) {
  const vertices: Vertex[] = [
    ...atoms[x].list.map((a) => ({ by: x, ...a })),
    ...atoms[y].list.map((a) => ({ by: y, ...a })),
  ];
  const index = new Map(vertices.map((v, i) => [`${v.by}\u0000${v.key}`, i]));
  const weights = vertices.map(() => new Array<number>(vertices.length).fill(0));
  cells.forEach((cell, c) => {
    const u = index.get(`${x}\u0000${atoms[x].of[c]}`) as number;
    const v = index.get(`${y}\u0000${atoms[y].of[c]}`) as number;
    (weights[u] as number[])[v] = (weights[u]?.[v] ?? 0) + cell.n;
    (weights[v] as number[])[u] = (weights[v]?.[u] ?? 0) + cell.n;
  });
  return { vertices, weights };
}

/**
 * The fewest people to withhold so that a small cut is gone: for one breakdown, a shown group on
 * the far side from that breakdown's rest (they merge across the cut), or, with no rest in this
 * part of the graph, the smallest shown group on each side. With neither, the smallest shown group
 * anywhere grows a rest, and the next round looks again.
 */
function closing(
  vertices: readonly Vertex[],
  part: readonly number[],
  side: ReadonlySet<number>,
  atoms: Record<Breakdown, Atoms>,
): Withholding[] | undefined {
  const lone = side.size === 1 || side.size === part.length - 1;
  const small = lone && part.some((v) => vertices[v]?.key === REST && (side.size === 1) === side.has(v));
  const reason = small ? WITHHELD_REASONS.complementary : WITHHELD_REASONS.linked;
  const options: Vertex[][] = [];
  for (const by of new Set(vertices.map((v) => v.by))) {
    const mine = part.filter((v) => vertices[v]?.by === by);
    const rest = mine.find((v) => vertices[v]?.key === REST);
    const shown = mine.filter((v) => v !== rest);
    if (rest !== undefined) {
      const far = smallestOf(
        shown.filter((v) => side.has(v) !== side.has(rest)).map((v) => vertices[v] as Vertex),
      );
      if (far) options.push([far]);
      continue;
    }
    const near = smallestOf(shown.filter((v) => side.has(v)).map((v) => vertices[v] as Vertex));
    const far = smallestOf(shown.filter((v) => !side.has(v)).map((v) => vertices[v] as Vertex));
    if (near && far) options.push([near, far]);
  }
  const cost = (option: Vertex[]) => option.reduce((sum, v) => sum + v.n, 0);
  let best = options.reduce<Vertex[] | undefined>(
    (a, b) => (a === undefined || cost(b) < cost(a) ? b : a),
    undefined,
  );
  if (!best) {
    const anywhere = smallestOf(
      [...new Set(vertices.map((v) => v.by))].flatMap((by) =>
        atoms[by].list.filter((a) => a.key !== REST).map((a) => ({ by, ...a })),
      ),
    );
    if (!anywhere) return undefined;
    best = [anywhere];
  }
  return best.map((v) => ({ by: v.by, key: v.key, reason }));
}

/** The smallest by n, the first listed among equals. */
function smallestOf<T extends { readonly n: number }>(items: readonly T[]): T | undefined {
  return items.reduce<T | undefined>((a, b) => (a === undefined || b.n < a.n ? b : a), undefined);
}
