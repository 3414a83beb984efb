/** A figure as the results API shows it: a score, a net score, a distribution, or withheld. */
export interface Shown {
  n?: number | null;
  withheld?: boolean | string[];
  reason?: string;
  mean?: number;
  net?: number;
  counts?: Record<string, number | null>;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * The share (percent) of those who answered an item who gave one of `answers`, from a distribution as
 * the results API shows it. Everyone who answered is counted, opt-outs ("Not applicable") included:
 * the API withholds a small opt-out count together with the next smallest, so a share of the others
 * alone would give the withheld counts away in most groups. Withheld counts are worked out only where
 * the release itself gives them: when they all lie on one side (counted, or not), that side is the
 * group's n less the other. Otherwise the share is withheld; it never tells more than the distribution
 * shown does. Undefined with no answers.
 */
export function shareOf(
  answers: readonly (string | number)[],
  shown: Shown,
): number | 'withheld' | undefined {
  if (!shown.counts || typeof shown.n !== 'number' || shown.n === 0) return undefined;
  const counted = new Set(answers.map(String));
  let known = 0;
  const hiddenSides = new Set<boolean>();
  for (const [value, count] of Object.entries(shown.counts)) {
    if (count === null) hiddenSides.add(counted.has(value));
    else if (counted.has(value)) known += count;
  }
  if (hiddenSides.size > 1) return 'withheld';
  const rest = Object.entries(shown.counts)
    .filter(([value]) => !counted.has(value))
    .reduce((sum, [, count]) => sum + (count ?? 0), 0);
  // Withheld counts all counted: they are n less everything else shown.
  const share = hiddenSides.has(true) ? shown.n - rest : known;
  return round((share / shown.n) * 100);
}
