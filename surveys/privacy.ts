/**
 * Which survey results may be shown. A group with fewer responses than the minimum group size is
 * withheld, and so is anything that would let a reader work a withheld group out by subtraction.
 *
 * What this protects, for one tree of counts (economy → organisations → sites, or a flat breakdown
 * such as staff groups under one total):
 * - No group with 1 … minimum − 1 responses is shown.
 * - Under every shown total, the part a reader cannot see (the total minus its shown children, which
 *   includes anyone in no listed child) is either nothing or at least the minimum; so is the sum of
 *   the withheld children. A lone small group is therefore never the whole of that difference.
 * - A withheld group's children are all withheld, so it cannot be rebuilt by adding them up, and a
 *   group withheld to protect a sibling cannot be worked out from below either.
 * Together these mean that adding and subtracting shown counts along the tree never yields a small
 * group (the property test plays that attacker against random trees).
 *
 * What it does not protect:
 * - Cross-tabulations and linked tables (organisation × staff group next to both margins), or two
 *   breakdowns of the same people that share anything but their one total. Each tree is protected
 *   on its own here; `discloseBreakdowns` (disclosure.ts) decides a campaign's breakdowns together.
 * - Differences between releases: a year, a filter or a late response that changes a total by a
 *   few people. A closed campaign takes nothing more (`closedToResponses`, campaign.ts), so its
 *   published counts are final; a `live` one's change while it is open.
 * - Bounds rather than exact values: a reader still learns that the withheld groups together number
 *   at least the minimum, and that each is at most that sum.
 * - Answers, as opposed to counts: a shown group where everyone gave the same answer reveals each
 *   member's answer. `discloseBreakdowns` (disclosure.ts) withholds such groups when deciding a
 *   figure; `suppressOptionCounts` limits small answer counts within a shown group.
 *
 * Counts are expected to be whole numbers ≥ 0, validated where they are read. Withholding is
 * deterministic: among equally small siblings the first listed is withheld.
 */

export const MIN_GROUP_SIZE_DEFAULT = 11;
export const MIN_GROUP_SIZE_FLOOR = 10;

/** The minimum group size to use: the setting, or 11, and never below 10. */
export function minGroupSize(setting?: number): number {
  const wanted =
    setting !== undefined && Number.isFinite(setting) ? Math.ceil(setting) : MIN_GROUP_SIZE_DEFAULT;
  return Math.max(MIN_GROUP_SIZE_FLOOR, wanted);
}

/** The minimum group size an estate's survey settings give. */
export function minGroupSizeOf(estate: { settings: { survey?: { minGroupSize?: number } } }): number {
  return minGroupSize(estate.settings.survey?.minGroupSize);
}

export interface GroupCount {
  readonly key: string;
  readonly n: number;
  readonly children?: readonly GroupCount[];
  /** Already withheld, by another rule, for this reason. */
  readonly reason?: WithheldReason;
}

export const WITHHELD_REASONS = {
  tooFew: 'fewer responses than the minimum group size',
  complementary: 'withheld so that a smaller group cannot be worked out from the totals',
  withinWithheld: 'part of a group that is withheld',
  linked: 'withheld so that a small group cannot be worked out by comparing two breakdowns',
  smallAnswers: 'withheld so that a small number of answers cannot be worked out',
  sameAnswer: 'everyone in the group gave the same answer, which would tell each person’s answer',
  sameAnswerRest: 'withheld so that the answers of groups who all answered alike cannot be worked out',
} as const;

export type WithheldReason = (typeof WITHHELD_REASONS)[keyof typeof WITHHELD_REASONS];

/** A withheld group carries no count, so nothing downstream can show it by mistake. */
export type SuppressedGroup = { readonly key: string; readonly children?: readonly SuppressedGroup[] } & (
  | { readonly withheld: false; readonly n: number }
  | { readonly withheld: true; readonly n: null; readonly reason: WithheldReason }
);

interface Node {
  readonly key: string;
  readonly n: number;
  reason: WithheldReason | null;
  readonly children: Node[] | undefined;
}

function build(group: GroupCount, min: number): Node {
  return {
    key: group.key,
    n: group.n,
    // `!(n >= min)` also withholds a count that is not a number.
    reason: group.reason ?? (!(group.n >= min) ? WITHHELD_REASONS.tooFew : null),
    children: group.children?.map((child) => build(child, min)),
  };
}

function sum(nodes: readonly Node[]): number {
  return nodes.reduce((total, node) => total + node.n, 0);
}

/** Withholds a withheld group's children: for its reason, or as part of a group too small to show. */
function withholdAll(nodes: readonly Node[] | undefined, reason: WithheldReason): void {
  for (const node of nodes ?? []) {
    node.reason ??= reason;
    withholdAll(node.children, reason);
  }
}

/** Under a shown parent, withhold the smallest shown child until no small group can be worked out. */
function withholdComplements(parent: Node, children: readonly Node[], min: number): void {
  const isSmall = (count: number) => count > 0 && count < min;
  for (;;) {
    const shown = children.filter((child) => child.reason === null);
    const withheld = children.filter((child) => child.reason !== null);
    const unseen = parent.n - sum(shown);
    // A lone withheld group (withheld for another reason, so not small) that is all the parent
    // is missing could be read off as parent − shown siblings.
    const lone = withheld.length === 1 && unseen > 0 && unseen === withheld[0]?.n;
    if (!isSmall(unseen) && !isSmall(sum(withheld)) && !lone) return;
    const smallest = shown.reduce<Node | undefined>(
      (a, b) => (a === undefined || b.n < a.n ? b : a),
      undefined,
    );
    // Nothing left to withhold: the unseen part is then the parent's own, shown, total.
    if (smallest === undefined) return;
    smallest.reason = WITHHELD_REASONS.complementary;
  }
}

function protect(node: Node, min: number): void {
  if (node.reason !== null) {
    withholdAll(
      node.children,
      node.reason === WITHHELD_REASONS.tooFew ? WITHHELD_REASONS.withinWithheld : node.reason,
    );
    return;
  }
  if (node.children === undefined) return;
  withholdComplements(node, node.children, min);
  for (const child of node.children) protect(child, min);
}

function toResult(node: Node): SuppressedGroup {
  const children = node.children?.map(toResult);
  const base = children === undefined ? { key: node.key } : { key: node.key, children };
  return node.reason === null
    ? { ...base, withheld: false, n: node.n }
    : { ...base, withheld: true, n: null, reason: node.reason };
}

/**
 * Decides which groups of a tree to show. Complementary withholding never changes a level above,
 * and withholding at one level only hides whole subtrees below, so one pass from the top is stable.
 */
export function suppressGroups(tree: GroupCount, minSize?: number): SuppressedGroup {
  const min = minGroupSize(minSize);
  const root = build(tree, min);
  protect(root, min);
  return toResult(root);
}

export interface SuppressedOptions {
  /** Every option, in the order given; null where withheld. */
  readonly counts: Record<string, number | null>;
  /** The withheld options, in the order given. */
  readonly withheld: string[];
}

/**
 * Answer-option counts within one shown group (the GP Patient Survey rule): a count of 1 … minCount − 1
 * is withheld together with the next-smallest, so it cannot be found from the group's total. Going a
 * little further than that rule, withholding goes on until the withheld counts add up to at least
 * minCount. Zero counts are shown: they describe nobody, and withholding one hides nothing. Options
 * in `already` are withheld from the start (by a rule across groups) and protected the same way.
 */
export function suppressOptionCounts(
  counts: Readonly<Record<string, number>>,
  minCount = 5,
  already: Iterable<string> = [],
): SuppressedOptions {
  const entries = Object.entries(counts);
  const withheld = new Set(entries.filter(([, n]) => n !== 0 && !(n >= minCount)).map(([option]) => option));
  for (const option of already) if (option in counts) withheld.add(option);
  for (;;) {
    const total = entries.reduce((t, [option, n]) => (withheld.has(option) ? t + n : t), 0);
    if (withheld.size === 0 || (withheld.size > 1 && total >= minCount)) break;
    const next = entries
      .filter(([option, n]) => !withheld.has(option) && n > 0)
      .reduce<[string, number] | undefined>((a, b) => (a === undefined || b[1] < a[1] ? b : a), undefined);
    if (next === undefined) break;
    withheld.add(next[0]);
  }
  return {
    counts: Object.fromEntries(entries.map(([option, n]) => [option, withheld.has(option) ? null : n])),
    withheld: entries.filter(([option]) => withheld.has(option)).map(([option]) => option),
  };
}
