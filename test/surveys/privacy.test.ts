import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type GroupCount,
  MIN_GROUP_SIZE_DEFAULT,
  MIN_GROUP_SIZE_FLOOR,
  minGroupSize,
  type SuppressedGroup,
  suppressGroups,
  suppressOptionCounts,
  WITHHELD_REASONS,
} from '../../surveys/privacy.js';

const leaf = (key: string, n: number): GroupCount => ({ key, n });
const parent = (key: string, children: GroupCount[], extra = 0): GroupCount => ({
  key,
  n: children.reduce((t, c) => t + c.n, 0) + extra,
  children,
});

/** Key → shown count, or null where withheld. */
function shown(result: SuppressedGroup): Record<string, number | null> {
  const out: Record<string, number | null> = { [result.key]: result.n };
  for (const child of result.children ?? []) Object.assign(out, shown(child));
  return out;
}

function findOrUndefined(result: SuppressedGroup, key: string): SuppressedGroup | undefined {
  if (result.key === key) return result;
  for (const child of result.children ?? []) {
    const found = findOrUndefined(child, key);
    if (found) return found;
  }
  return undefined;
}

function find(result: SuppressedGroup, key: string): SuppressedGroup {
  const found = findOrUndefined(result, key);
  if (!found) throw new Error(`no group ${key}`);
  return found;
}

describe('minGroupSize', () => {
  it('defaults to 11 and never goes below 10', () => {
    expect(MIN_GROUP_SIZE_DEFAULT).toBe(11);
    expect(MIN_GROUP_SIZE_FLOOR).toBe(10);
    expect(minGroupSize()).toBe(11);
    expect(minGroupSize(15)).toBe(15);
    expect(minGroupSize(10)).toBe(10);
    expect(minGroupSize(5)).toBe(10);
    expect(minGroupSize(0)).toBe(10);
    expect(minGroupSize(-3)).toBe(10);
    expect(minGroupSize(Number.NaN)).toBe(11);
    expect(minGroupSize(12.5)).toBe(13);
  });

  it('is applied by suppressGroups, so a setting of 3 still withholds a group of 9', () => {
    const result = suppressGroups(parent('all', [leaf('a', 9), leaf('b', 40), leaf('c', 50)]), 3);
    expect(shown(result)).toEqual({ all: 99, a: null, b: null, c: 50 });
  });
});

describe('suppressGroups', () => {
  it('shows groups at or above the minimum and withholds a small one with its reason', () => {
    expect(suppressGroups(leaf('site', 11))).toEqual({ key: 'site', withheld: false, n: 11 });
    expect(suppressGroups(leaf('site', 10))).toEqual({
      key: 'site',
      withheld: true,
      n: null,
      reason: WITHHELD_REASONS.tooFew,
    });
    expect(suppressGroups(leaf('site', 0)).withheld).toBe(true);
  });

  it('stops the subtraction attack across organisation → site (59 − 30 − 25 = 4)', () => {
    const org = parent('org', [leaf('siteA', 30), leaf('siteB', 25), leaf('siteC', 4)]);
    const result = suppressGroups(org);
    expect(shown(result)).toEqual({ org: 59, siteA: 30, siteB: null, siteC: null });
    expect(find(result, 'siteC')).toMatchObject({ withheld: true, reason: WITHHELD_REASONS.tooFew });
    expect(find(result, 'siteB')).toMatchObject({ withheld: true, reason: WITHHELD_REASONS.complementary });
  });

  it('withholds another sibling when two withheld siblings together are still below the minimum', () => {
    const result = suppressGroups(parent('org', [leaf('a', 3), leaf('b', 6), leaf('c', 40), leaf('d', 20)]));
    expect(shown(result)).toEqual({ org: 69, a: null, b: null, c: 40, d: null });
    // Two withheld siblings that together reach the minimum need nothing more.
    const enough = suppressGroups(parent('org', [leaf('a', 5), leaf('b', 7), leaf('c', 40)]));
    expect(shown(enough)).toEqual({ org: 52, a: null, b: null, c: 40 });
  });

  it('treats people in no listed child as hidden too', () => {
    // 48 − 20 − 25 = 3 people with no site given would be a visible small group.
    const result = suppressGroups(parent('org', [leaf('a', 20), leaf('b', 25)], 3));
    expect(shown(result)).toEqual({ org: 48, a: null, b: 25 });
    // A large unlisted part hides nothing small, but a lone small site is still given a partner.
    const big = suppressGroups(parent('org', [leaf('a', 20), leaf('b', 4)], 30));
    expect(shown(big)).toEqual({ org: 54, a: null, b: null });
  });

  it('cascades: a complementary withholding hides the subtree, so no level can be worked out', () => {
    const economy = parent('economy', [
      parent('orgX', [leaf('x1', 30), leaf('x2', 25)]),
      parent('orgY', [leaf('y1', 6)]),
      parent('orgZ', [leaf('z1', 40), leaf('z2', 35)]),
    ]);
    const result = suppressGroups(economy);
    expect(shown(result)).toEqual({
      economy: 136,
      // orgY (6) is small; orgX (55) is the smallest shown organisation, so it goes too…
      orgX: null,
      // …with its sites, or 30 + 25 would give orgX back and then 136 − 55 − 75 = 6.
      x1: null,
      x2: null,
      orgY: null,
      y1: null,
      orgZ: 75,
      z1: 40,
      z2: 35,
    });
    // The sites are withheld for their organisation's reason; the small one's sites as part of it.
    expect(find(result, 'x1')).toMatchObject({ reason: WITHHELD_REASONS.complementary });
    expect(find(result, 'orgX')).toMatchObject({ reason: WITHHELD_REASONS.complementary });
    expect(find(result, 'y1')).toMatchObject({ reason: WITHHELD_REASONS.tooFew });
  });

  it('keeps a complementary withholding at site level from leaking at organisation level', () => {
    const economy = parent('economy', [
      parent('orgX', [leaf('x1', 30), leaf('x2', 25), leaf('x3', 4)]),
      parent('orgZ', [leaf('z1', 40), leaf('z2', 35)]),
    ]);
    expect(shown(suppressGroups(economy))).toEqual({
      economy: 134,
      orgX: 59,
      x1: 30,
      x2: null,
      x3: null,
      orgZ: 75,
      z1: 40,
      z2: 35,
    });
  });

  it('hides the children of a withheld parent, even large ones', () => {
    // Inconsistent counts (a child larger than its parent) must not show the child either.
    const result = suppressGroups({ key: 'org', n: 8, children: [leaf('a', 5), leaf('b', 30)] });
    expect(result).toEqual({
      key: 'org',
      withheld: true,
      n: null,
      reason: WITHHELD_REASONS.tooFew,
      children: [
        { key: 'a', withheld: true, n: null, reason: WITHHELD_REASONS.tooFew },
        { key: 'b', withheld: true, n: null, reason: WITHHELD_REASONS.withinWithheld },
      ],
    });
  });

  it('protects a flat staff-group breakdown under one total', () => {
    const staff = parent('all staff', [
      leaf('Nursing', 120),
      leaf('Medical', 45),
      leaf('Allied health', 30),
      leaf('Admin', 60),
      leaf('Estates', 7),
      leaf('Pharmacy', 0),
    ]);
    expect(shown(suppressGroups(staff))).toEqual({
      'all staff': 262,
      Nursing: 120,
      Medical: 45,
      'Allied health': null,
      Admin: 60,
      Estates: null,
      // Zero responses describe nobody; its count is withheld, but it needs no partner.
      Pharmacy: null,
    });
    // Only a zero withheld: nothing to protect, so nothing else is withheld.
    expect(shown(suppressGroups(parent('all', [leaf('a', 20), leaf('b', 0), leaf('c', 30)])))).toEqual({
      all: 50,
      a: 20,
      b: null,
      c: 30,
    });
  });

  it('withholds the first of equally small siblings', () => {
    const result = suppressGroups(parent('org', [leaf('a', 20), leaf('b', 20), leaf('c', 2)]));
    expect(shown(result)).toEqual({ org: 42, a: null, b: 20, c: null });
  });
});

/** Random trees whose children add up exactly to their parent, as an attacker would assume. */
const tree = fc
  .letrec<{ node: GroupCount }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: 0, max: 60 }).map((n) => ({ key: '', n })),
      fc.array(tie('node'), { minLength: 1, maxLength: 5 }).map((children) => ({
        key: '',
        n: children.reduce((t, c) => t + c.n, 0),
        children,
      })),
    ),
  }))
  .node.map((root) => {
    let next = 0;
    const label = (g: GroupCount): GroupCount => ({
      key: `g${next++}`,
      n: g.n,
      ...(g.children ? { children: g.children.map(label) } : {}),
    });
    return label(root);
  });

interface Pair {
  readonly input: GroupCount;
  readonly output: SuppressedGroup;
}

function pairs(input: GroupCount, output: SuppressedGroup): Pair[] {
  const children = input.children ?? [];
  return [
    { input, output },
    ...children.flatMap((child, i) => {
      const out = output.children?.[i];
      if (!out) throw new Error('children out of step');
      return pairs(child, out);
    }),
  ];
}

/**
 * An attacker who knows the tree's shape and that children add up to their parent: from the shown
 * counts, fill in a parent whose children are all known and a child whose parent and siblings are.
 */
function workOut(all: readonly Pair[]): Map<GroupCount, number> {
  const known = new Map<GroupCount, number>();
  for (const { input, output } of all) if (output.n !== null) known.set(input, output.n);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { input } of all) {
      const children = input.children ?? [];
      if (children.length === 0) continue;
      const unknown = children.filter((c) => !known.has(c));
      const knownSum = children.reduce((t, c) => t + (known.get(c) ?? 0), 0);
      const total = known.get(input);
      if (total === undefined && unknown.length === 0) {
        known.set(input, knownSum);
        changed = true;
      } else if (total !== undefined && unknown.length === 1 && unknown[0]) {
        known.set(unknown[0], total - knownSum);
        changed = true;
      }
    }
  }
  return known;
}

describe('suppressGroups: properties', () => {
  const minSize = fc.integer({ min: 10, max: 15 });

  it('shows every group at or above the minimum as given, unless withheld for a reason', () => {
    fc.assert(
      fc.property(tree, minSize, (input, min) => {
        for (const { input: g, output } of pairs(input, suppressGroups(input, min))) {
          expect(output.key).toBe(g.key);
          if (g.n < min) expect(output.withheld).toBe(true);
          if (!output.withheld) expect(output.n).toBe(g.n);
          else expect(output.n).toBeNull();
          if (output.withheld) for (const child of output.children ?? []) expect(child.withheld).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never lets a lone withheld sibling be found as shown parent − shown siblings', () => {
    fc.assert(
      fc.property(tree, minSize, (input, min) => {
        for (const { input: g, output } of pairs(input, suppressGroups(input, min))) {
          if (output.n === null || !output.children) continue;
          const withheld = output.children.filter((c) => c.withheld);
          if (withheld.length !== 1) continue;
          const visibleSum = output.children.reduce((t, c) => t + (c.n ?? 0), 0);
          const index = output.children.findIndex((c) => c.withheld);
          const hidden = g.children?.[index]?.n;
          if (hidden !== 0) expect(output.n - visibleSum).not.toBe(hidden);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never lets an attacker adding and subtracting along the tree find a small group', () => {
    fc.assert(
      fc.property(tree, minSize, (input, min) => {
        const all = pairs(input, suppressGroups(input, min));
        for (const [group, n] of workOut(all)) {
          expect(n).toBe(group.n);
          if (n > 0) expect(n).toBeGreaterThanOrEqual(min);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('suppressOptionCounts', () => {
  it('shows option counts when none is small', () => {
    expect(suppressOptionCounts({ Always: 12, Usually: 30, Never: 5 })).toEqual({
      counts: { Always: 12, Usually: 30, Never: 5 },
      withheld: [],
    });
  });

  it('withholds a small count together with the next-smallest', () => {
    expect(suppressOptionCounts({ Always: 12, Usually: 30, Sometimes: 8, Never: 2 })).toEqual({
      counts: { Always: 12, Usually: 30, Sometimes: null, Never: null },
      withheld: ['Sometimes', 'Never'],
    });
  });

  it('goes on until the withheld counts add up to the minimum, and shows zeros', () => {
    expect(suppressOptionCounts({ a: 1, b: 2, c: 0, d: 20, e: 30 })).toEqual({
      counts: { a: null, b: null, c: 0, d: null, e: 30 },
      withheld: ['a', 'b', 'd'],
    });
    expect(suppressOptionCounts({ a: 2, b: 3, c: 20 })).toEqual({
      counts: { a: null, b: null, c: 20 },
      withheld: ['a', 'b'],
    });
  });

  it('takes its minimum as a parameter', () => {
    expect(suppressOptionCounts({ a: 6, b: 9, c: 20 }, 10).withheld).toEqual(['a', 'b']);
    expect(suppressOptionCounts({ a: 6, b: 9, c: 20 }).withheld).toEqual([]);
  });

  it('never leaves a single count below the minimum recoverable from the total', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.nat(30)), (counts) => {
        const { counts: out, withheld } = suppressOptionCounts(counts);
        const withheldTotal = withheld.reduce((t, k) => t + (counts[k] ?? 0), 0);
        for (const [option, n] of Object.entries(counts)) {
          if (n > 0 && n < 5) expect(out[option]).toBeNull();
        }
        const recoverable = withheld.length === 1 || (withheldTotal > 0 && withheldTotal < 5);
        const othersToWithhold = Object.entries(counts).some(([k, n]) => n > 0 && !withheld.includes(k));
        if (recoverable) expect(othersToWithhold).toBe(false);
      }),
    );
  });
});
