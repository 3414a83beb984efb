import {
  type GroupCount,
  type SuppressedGroup,
  type SuppressedOptions,
  suppressGroups,
  suppressOptionCounts,
  WITHHELD_REASONS,
  type WithheldReason,
} from './privacy.js';

/**
 * Which groups of a campaign may be shown, deciding every breakdown at once. Each breakdown (by
 * organisation, by site, by staff group) cuts the same respondents a different way, so protecting
 * each on its own is not enough: a practice of 15 respondents beside its one site of 16 (the 15
 * and a visitor) gives away the visitor's answers by subtraction. So, from the counts per cell
 * (organisation × site × staff group), which only the server has:
 * - each breakdown is protected as a tree (`suppressGroups`: sites under their host organisations);
 * - then any two shown groups of different breakdowns, and a shown group against the shown groups of
 *   another breakdown whose respondents are mostly its own (an organisation against its sites), must
 *   differ by nobody or by at least the minimum group size. Where they differ by fewer, the smaller
 *   group is withheld, the trees are protected again, and so on until nothing changes.
 *
 * What this does not look for: differences between arbitrary unions of groups beyond those natural
 * ones (two practices against the health centre they share is found; three unrelated sites against
 * two unrelated organisations is not), and differences between releases of a live campaign.
 */

export const BREAKDOWNS = ['organisation', 'site', 'staffGroup'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** How many respondents (or answers to one item) fell in one organisation × site × staff group. */
export interface Cell {
  readonly organisation: string;
  readonly site: string;
  readonly staffGroup: string;
  readonly n: number;
}

export type Shown =
  | { readonly n: number; readonly withheld: false }
  | { readonly n: null; readonly withheld: true; readonly reason: WithheldReason };

/** Per breakdown, each group's count or why it is withheld. */
export type Disclosure = Record<Breakdown, ReadonlyMap<string, Shown>>;

/** Groups withheld before anything else is decided (a whole group, when deciding one item). */
export type Withholdings = Partial<Record<Breakdown, ReadonlyMap<string, WithheldReason>>>;

const SEP = '\u0000';

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

/**
 * Which groups each breakdown shows, from the counts per cell: every breakdown's tree protected,
 * then linked differences withheld one group at a time until none is left (see the top of this file).
 * Groups in `already` stay withheld with their reason.
 */
export function discloseBreakdowns(
  cells: readonly Cell[],
  hostOf: ReadonlyMap<string, string>,
  min: number,
  already: Withholdings = {},
): Disclosure {
  const counts = countsOf(cells);
  const overlap = overlapsOf(cells);
  const forced = Object.fromEntries(BREAKDOWNS.map((by) => [by, new Map(already[by] ?? [])])) as Record<
    Breakdown,
    Map<string, WithheldReason>
  >;
  // Each round withholds one more group, so this ends within the number of groups.
  for (;;) {
    const protect = (by: Breakdown) =>
      shownMap(suppressGroups(treeOf(by, counts[by], hostOf, forced[by]), min));
    const disclosure: Disclosure = {
      organisation: protect('organisation'),
      site: protect('site'),
      staffGroup: protect('staffGroup'),
    };
    const leak = linkedLeak(disclosure, counts, overlap, min);
    if (!leak) return disclosure;
    forced[leak.by].set(leak.key, WITHHELD_REASONS.linked);
  }
}

function countsOf(cells: readonly Cell[]): Record<Breakdown, Map<string, number>> {
  const counts = { organisation: new Map(), site: new Map(), staffGroup: new Map() } as Record<
    Breakdown,
    Map<string, number>
  >;
  for (const cell of cells) {
    if (cell.n <= 0) continue;
    for (const by of BREAKDOWNS) counts[by].set(cell[by], (counts[by].get(cell[by]) ?? 0) + cell.n);
  }
  return counts;
}

/** For two breakdowns X and Y, how many are in both group x and group y, keyed `X␀Y` then `x␀y`. */
function overlapsOf(cells: readonly Cell[]): Map<string, Map<string, number>> {
  const overlap = new Map<string, Map<string, number>>();
  for (const x of BREAKDOWNS) {
    for (const y of BREAKDOWNS) {
      if (x === y) continue;
      const pairs = new Map<string, number>();
      for (const cell of cells) {
        const key = `${cell[x]}${SEP}${cell[y]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + cell.n);
      }
      overlap.set(`${x}${SEP}${y}`, pairs);
    }
  }
  return overlap;
}

/** The tree a breakdown is protected in: sites under their host organisations, others flat. */
function treeOf(
  by: Breakdown,
  counts: ReadonlyMap<string, number>,
  hostOf: ReadonlyMap<string, string>,
  forced: ReadonlyMap<string, WithheldReason>,
): GroupCount {
  const groups = [...counts]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([key, n]): GroupCount => {
      const reason = forced.get(key);
      return reason ? { key, n, reason } : { key, n };
    });
  const total = groups.reduce((sum, group) => sum + group.n, 0);
  if (by !== 'site') return { key: '', n: total, children: groups };
  const byHost = new Map<string, GroupCount[]>();
  for (const group of groups) {
    const host = hostOf.get(group.key) ?? '';
    byHost.set(host, [...(byHost.get(host) ?? []), group]);
  }
  return {
    key: '',
    n: total,
    children: [...byHost].map(([host, sites]) => ({
      key: `${SEP}${host}`,
      n: sites.reduce((sum, site) => sum + site.n, 0),
      children: sites,
    })),
  };
}

/** The leaves of a protected tree (the breakdown's groups), by key. */
function shownMap(tree: SuppressedGroup): Map<string, Shown> {
  const found = new Map<string, Shown>();
  const walk = (group: SuppressedGroup) => {
    if (group.children === undefined) {
      found.set(
        group.key,
        group.withheld ? { n: null, withheld: true, reason: group.reason } : { n: group.n, withheld: false },
      );
    }
    for (const child of group.children ?? []) walk(child);
  };
  walk(tree);
  return found;
}

/**
 * The first pair of shown groups (or a group and the groups that are mostly its own) that differ by
 * a few people, and which group to withhold for it: the smallest involved.
 */
function linkedLeak(
  disclosure: Disclosure,
  counts: Record<Breakdown, Map<string, number>>,
  overlap: Map<string, Map<string, number>>,
  min: number,
): { by: Breakdown; key: string } | undefined {
  const shownKeys = (by: Breakdown) =>
    [...disclosure[by]]
      .filter(([, shown]) => !shown.withheld)
      .map(([key]) => key)
      .sort();
  const isSmall = (difference: number) => difference > 0 && difference < min;
  for (const x of BREAKDOWNS) {
    for (const y of BREAKDOWNS) {
      if (x === y) continue;
      const pairs = overlap.get(`${x}${SEP}${y}`) as Map<string, number>;
      const ys = shownKeys(y);
      for (const g of shownKeys(x)) {
        const nG = counts[x].get(g) ?? 0;
        const mostly: { key: string; n: number; both: number }[] = [];
        for (const h of ys) {
          const both = pairs.get(`${g}${SEP}${h}`) ?? 0;
          if (both === 0) continue;
          const nH = counts[y].get(h) ?? 0;
          if (isSmall(nG + nH - 2 * both))
            return smallest([
              { by: x, key: g, n: nG },
              { by: y, key: h, n: nH },
            ]);
          if (2 * both > nH) mostly.push({ key: h, n: nH, both });
        }
        if (mostly.length < 2) continue;
        const nUnion = mostly.reduce((sum, h) => sum + h.n, 0);
        const both = mostly.reduce((sum, h) => sum + h.both, 0);
        if (isSmall(nG + nUnion - 2 * both)) {
          return smallest([{ by: x, key: g, n: nG }, ...mostly.map((h) => ({ by: y, key: h.key, n: h.n }))]);
        }
      }
    }
  }
  return undefined;
}

function smallest(groups: { by: Breakdown; key: string; n: number }[]) {
  const [first, ...rest] = groups as [(typeof groups)[number], ...typeof groups];
  const pick = rest.reduce((a, b) => (b.n < a.n ? b : a), first);
  return { by: pick.by, key: pick.key };
}

/**
 * One item's answer counts for each shown group of every breakdown beside the whole campaign's,
 * withheld so that no small count can be found from a row (a group's n) or a column (the campaign's
 * count of that answer): within each row small counts go with the next-smallest
 * (`suppressOptionCounts`); where a column's shown counts fall short of the campaign's by 1 … minCount
 * − 1, or by exactly one withheld count, its smallest shown count is withheld too, or, with none
 * left, the campaign's own count. Repeated until no rule withholds more. The campaign's row is shared
 * by every breakdown, so it is decided for all of them together.
 */
export function suppressAnswerTable(
  overall: Readonly<Record<string, number>>,
  tables: readonly ReadonlyMap<string, Readonly<Record<string, number>>>[],
  minCount = 5,
): { overall: SuppressedOptions; tables: Map<string, SuppressedOptions>[] } {
  const wholeWithheld = new Set<string>();
  const withheld = tables.map((rows) => new Map([...rows.keys()].map((key) => [key, new Set<string>()])));
  const grow = (into: Set<string>, options: readonly string[]) => {
    let grew = false;
    for (const option of options) {
      if (!into.has(option)) {
        into.add(option);
        grew = true;
      }
    }
    return grew;
  };
  for (;;) {
    let changed = grow(wholeWithheld, suppressOptionCounts(overall, minCount, wholeWithheld).withheld);
    tables.forEach((rows, t) => {
      const hiddenIn = withheld[t] as Map<string, Set<string>>;
      for (const [key, counts] of rows) {
        const kept = hiddenIn.get(key) as Set<string>;
        if (grow(kept, suppressOptionCounts(counts, minCount, kept).withheld)) changed = true;
      }
      for (const option of Object.keys(overall)) {
        if (wholeWithheld.has(option)) continue;
        const count = (counts: Readonly<Record<string, number>>) => counts[option] ?? 0;
        const shown = [...rows].filter(([key]) => !hiddenIn.get(key)?.has(option));
        const hidden = [...rows].filter(
          ([key, counts]) => hiddenIn.get(key)?.has(option) && count(counts) > 0,
        );
        const unseen = (overall[option] ?? 0) - shown.reduce((sum, [, counts]) => sum + count(counts), 0);
        // A lone withheld count that is all the column is missing could be read off the column.
        const lone = hidden.length === 1 && unseen === count(hidden[0]?.[1] ?? {});
        if (!(unseen > 0 && unseen < minCount) && !lone) continue;
        const next = shown
          .filter(([, counts]) => count(counts) > 0)
          .reduce<[string, number] | undefined>(
            (a, [key, counts]) => (a === undefined || count(counts) < a[1] ? [key, count(counts)] : a),
            undefined,
          );
        if (next) hiddenIn.get(next[0])?.add(option);
        else wholeWithheld.add(option);
        changed = true;
      }
    });
    if (!changed) break;
  }
  return {
    overall: suppressOptionCounts(overall, minCount, wholeWithheld),
    tables: tables.map(
      (rows, t) =>
        new Map(
          [...rows].map(([key, counts]) => [
            key,
            suppressOptionCounts(counts, minCount, withheld[t]?.get(key)),
          ]),
        ),
    ),
  };
}
