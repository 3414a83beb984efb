import { type SuppressedOptions, suppressOptionCounts } from './privacy.js';

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
