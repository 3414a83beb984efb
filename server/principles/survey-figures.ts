import { itemOfKey } from '../../surveys/instruments.js';

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
 * The share (percent) of those who gave an answer that is not an opt-out ("Not applicable", "I don't
 * know") who gave one of `answers`, from a distribution as the results API shows it. Withheld answer
 * counts are worked out only where the release itself gives them: when they all lie in one part
 * (counted, not counted, opt-out), that part is the group's n less the others. Otherwise the share is
 * withheld; it never tells more than the distribution shown does. Undefined with no answers.
 */
export function shareOf(
  itemKey: string,
  answers: readonly (string | number)[],
  shown: Shown,
): number | 'withheld' | undefined {
  const item = itemOfKey(itemKey);
  if (!item || !shown.counts || typeof shown.n !== 'number') return undefined;
  const counted = new Set(answers.map(String));
  const partOf = (value: string) => {
    const option = item.options.find((o) => String(o.value) === value);
    if (option?.optOut) return 'optOut';
    return counted.has(value) ? 'counted' : 'other';
  };
  const sums = { counted: 0, other: 0, optOut: 0 };
  const hiddenParts = new Set<keyof typeof sums>();
  for (const [value, count] of Object.entries(shown.counts)) {
    if (count === null) hiddenParts.add(partOf(value));
    else sums[partOf(value)] += count;
  }
  if (hiddenParts.size > 1) return 'withheld';
  const [hidden] = [...hiddenParts];
  if (hidden) sums[hidden] += shown.n - (sums.counted + sums.other + sums.optOut);
  const answered = sums.counted + sums.other;
  return answered === 0 ? undefined : round((sums.counted / answered) * 100);
}
