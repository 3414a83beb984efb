import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BREAKDOWNS,
  type Breakdown,
  type Cell,
  type Disclosure,
  discloseBreakdowns,
} from '../../surveys/disclosure.js';
import { WITHHELD_REASONS } from '../../surveys/privacy.js';
import { type ShownKeys, smallestDerivableDifference } from './attacker.js';

const cell = (
  organisation: string,
  site: string,
  staffGroup: string,
  n: number,
  alike?: string | null,
): Cell => ({
  organisation,
  site,
  staffGroup,
  n,
  ...(alike === undefined ? {} : { alike }),
});

/** Key → shown count, or null where withheld. */
const shown = (disclosure: Disclosure, by: Breakdown) =>
  Object.fromEntries([...disclosure[by]].map(([key, s]) => [key, s.n]));

const shownKeys = (disclosure: Disclosure): ShownKeys =>
  Object.fromEntries(
    BREAKDOWNS.map((by) => [by, new Set([...disclosure[by]].filter(([, s]) => !s.withheld).map(([k]) => k))]),
  ) as unknown as ShownKeys;

/** Fails naming the two sets when a reader could find a few people between two derivable sets. */
function expectNoSmallDifference(cells: readonly Cell[], disclosure: Disclosure, min: number) {
  // A campaign under the minimum shows its count and nothing else, so its total is no leak.
  if (cells.reduce((sum, c) => sum + c.n, 0) < min) return;
  const found = smallestDerivableDifference(cells, shownKeys(disclosure));
  if (found && found.difference < min) {
    expect.fail(`${found.between} differ by ${found.difference} (minimum ${min})`);
  }
}

describe('discloseBreakdowns', () => {
  it('does not let a small group be read off the total minus the groups of another breakdown', () => {
    // o1's 12 at s1, o2's 12 at s2 and 2 at s3, o3's 15 at s3. Showing o2 (14), s1 (12), s3 (17) and
    // the total (41) would give s2 = 41 − 12 − 17, and o2 − s2 the 2 o2 staff at s3.
    const cells = [
      cell('o1', 's1', 'nursing', 12),
      cell('o2', 's2', 'nursing', 12),
      cell('o2', 's3', 'nursing', 2),
      cell('o3', 's3', 'nursing', 15),
    ];
    const disclosure = discloseBreakdowns(cells, 11);
    expectNoSmallDifference(cells, disclosure, 11);
    // Withholding s2 alone protects nothing under a known total: a second group goes with it.
    const withheld = BREAKDOWNS.flatMap((by) =>
      [...disclosure[by]].filter(([, s]) => s.withheld).map(([key, s]) => [by, key, s.withheld && s.reason]),
    );
    expect(withheld).toHaveLength(2);
    for (const [, , reason] of withheld) expect(reason).toBe(WITHHELD_REASONS.linked);
    // o1 at s1 is a part of its own: nothing of it needs withholding.
    expect(shown(disclosure, 'organisation').o1).toBe(12);
    expect(shown(disclosure, 'site').s1).toBe(12);
  });

  it('withholds the fewest people that close a leak: two small sites rather than two organisations', () => {
    // Bow Yard Practice's 15 all answer at Bow Yard Surgery, where one trust nurse also answered:
    // surgery (16) − practice (15) would be that nurse.
    const cells = [
      cell('bow-yard', 'bow-yard-surgery', 'admin', 15),
      cell('trust', 'bow-yard-surgery', 'nursing', 1),
      cell('trust', 'royal', 'nursing', 60),
      cell('trust', 'royal', 'medical', 40),
      cell('trust', 'annex', 'admin', 30),
    ];
    const disclosure = discloseBreakdowns(cells, 11);
    expectNoSmallDifference(cells, disclosure, 11);
    // The surgery goes with the smallest site across the leak (46 people), not both organisations (146).
    expect(shown(disclosure, 'organisation')).toEqual({ 'bow-yard': 15, trust: 131 });
    expect(shown(disclosure, 'site')).toEqual({ 'bow-yard-surgery': null, royal: 100, annex: null });
    expect(disclosure.site.get('bow-yard-surgery')).toMatchObject({ reason: WITHHELD_REASONS.linked });
    // Each breakdown on its own would have shown everything.
    const alone = discloseBreakdowns(cells.slice(0, 1), 11);
    expect(shown(alone, 'organisation')).toEqual({ 'bow-yard': 15 });
  });

  it('compares an organisation with all its sites together, not only one at a time', () => {
    // Riverside's 70 at its own two sites and 3 at Leaside's: organisation (73) − its sites (70).
    const cells = [
      cell('riverside', 'royal', 'nursing', 40),
      cell('riverside', 'st-annes', 'nursing', 30),
      cell('riverside', 'leaside-house', 'nursing', 3),
      cell('leaside', 'leaside-house', 'admin', 50),
      cell('leaside', 'leaside-house', 'medical', 20),
    ];
    const disclosure = discloseBreakdowns(cells, 11);
    expectNoSmallDifference(cells, disclosure, 11);
    const reasons = BREAKDOWNS.flatMap((by) =>
      [...disclosure[by].values()].map((s) => s.withheld && s.reason),
    );
    expect(reasons).toContain(WITHHELD_REASONS.linked);
  });

  it('compares unions of unrelated groups: three sites against two organisations', () => {
    // a and b share sites p, q and r; neither organisation matches any one site or pair, but
    // both together are the three sites but for 2 of c's staff at r.
    const cells = [
      cell('a', 'p', 'nursing', 20),
      cell('a', 'q', 'nursing', 20),
      cell('b', 'q', 'nursing', 20),
      cell('b', 'r', 'nursing', 20),
      cell('c', 'r', 'admin', 2),
      cell('c', 's', 'admin', 30),
    ];
    const disclosure = discloseBreakdowns(cells, 11);
    expectNoSmallDifference(cells, disclosure, 11);
  });

  it('withholds a second group where a lone withheld one would be the total minus the rest', () => {
    // A small staff group under a known total: the smallest other group goes with it.
    const cells = [cell('x', 'a', 'nursing', 30), cell('x', 'a', 'medical', 20), cell('x', 'a', 'admin', 4)];
    const disclosure = discloseBreakdowns(cells, 11);
    expect(shown(disclosure, 'staffGroup')).toEqual({ admin: null, medical: null, nursing: 30 });
    expect(disclosure.staffGroup.get('medical')).toMatchObject({ reason: WITHHELD_REASONS.complementary });
  });

  it('keeps groups withheld beforehand withheld, and counts them in the rest that protects others', () => {
    // a is withheld beforehand; with it, b's 4 are not alone in the rest and c can be shown.
    const cells = [cell('x', 'a', 'nursing', 30), cell('x', 'b', 'medical', 4), cell('y', 'c', 'admin', 30)];
    const disclosure = discloseBreakdowns(cells, 11, {
      site: new Map([['a', WITHHELD_REASONS.withinWithheld]]),
    });
    expect(disclosure.site.get('a')).toMatchObject({
      withheld: true,
      reason: WITHHELD_REASONS.withinWithheld,
    });
    expect(shown(disclosure, 'site')).toEqual({ a: null, b: null, c: 30 });
    expectNoSmallDifference(cells, disclosure, 11);
  });

  it('is the same whichever order the cells come in', () => {
    const cells = [cell('o', 's', 'nursing', 12), cell('p', 's', 'admin', 3), cell('p', 't', 'admin', 30)];
    expect(discloseBreakdowns(cells, 11)).toEqual(discloseBreakdowns([...cells].reverse(), 11));
  });
});

describe('discloseBreakdowns: groups whose members all gave one answer', () => {
  it('withholds a group whose members all gave the same answer', () => {
    const cells = [
      cell('o', 'a', 'nursing', 12, '50'),
      cell('o', 'b', 'nursing', 20, null),
      cell('o', 'c', 'admin', 25, null),
    ];
    const disclosure = discloseBreakdowns(cells, 11);
    expect(disclosure.site.get('a')).toEqual({
      n: null,
      withheld: true,
      reason: WITHHELD_REASONS.sameAnswer,
    });
    // Cells that agree within but not with each other are not alike together.
    const mixed = discloseBreakdowns(
      [cell('o', 'a', 'nursing', 6, '50'), cell('o', 'a', 'admin', 6, '60')],
      11,
    );
    expect(mixed.site.get('a')).toEqual({ n: 12, withheld: false });
  });

  it('does not let withheld groups that all gave one answer be found as the total minus the rest', () => {
    // a (12) all gave 50 and is withheld; b and c shown would make a the total minus them.
    const cells = [
      cell('o', 'a', 'nursing', 12, '50'),
      cell('o', 'b', 'nursing', 20, null),
      cell('o', 'c', 'nursing', 25, null),
    ];
    const disclosure = discloseBreakdowns(cells, 11);
    expect(shown(disclosure, 'site')).toEqual({ a: null, b: null, c: 25 });
    expect(disclosure.site.get('b')).toMatchObject({ reason: WITHHELD_REASONS.sameAnswerRest });
  });
});

const organisations = ['o0', 'o1', 'o2', 'o3'];
const sites = ['s0', 's1', 's2', 's3', 's4', 's5'];
const groups = ['nursing', 'medical', 'admin'];
const hostOf = new Map(sites.map((site, i) => [site, organisations[i % organisations.length] as string]));

/** Cells of a small economy: most respondents at their own organisation's sites, some anywhere. */
const economy = fc
  .array(
    fc.record({
      site: fc.constantFrom(...sites),
      visitor: fc.boolean(),
      elsewhere: fc.constantFrom(...organisations),
      staffGroup: fc.constantFrom(...groups),
      n: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 40 })),
      alike: fc.constantFrom<string | null>('1', '2', null, null),
    }),
    { maxLength: 24 },
  )
  .map((rows) => {
    const cells = new Map<string, Cell>();
    for (const row of rows) {
      const organisation = row.visitor ? row.elsewhere : (hostOf.get(row.site) as string);
      const key = `${organisation}|${row.site}|${row.staffGroup}`;
      const before = cells.get(key);
      const alike = before === undefined || before.alike === row.alike ? row.alike : null;
      cells.set(key, cell(organisation, row.site, row.staffGroup, (before?.n ?? 0) + row.n, alike));
    }
    return [...cells.values()];
  });

describe('discloseBreakdowns: an attacker searching every pair of derivable sets', () => {
  it('finds no two sets, in one breakdown or across two, that differ by 1 to minimum − 1 people', () => {
    fc.assert(
      fc.property(economy, fc.integer({ min: 10, max: 13 }), (cells, min) => {
        const counts = cells.map(({ alike: _, ...rest }) => rest);
        expectNoSmallDifference(counts, discloseBreakdowns(counts, min), min);
      }),
      { numRuns: 300 },
    );
  });

  it('finds no shown group, and no rest of a breakdown, whose members all gave one answer', () => {
    fc.assert(
      fc.property(economy, (cells) => {
        const disclosure = discloseBreakdowns(cells, 11);
        expectNoSmallDifference(cells, disclosure, 11);
        const keys = shownKeys(disclosure);
        for (const by of BREAKDOWNS) {
          const parts = [...keys[by]].map((key) => cells.filter((c) => c[by] === key));
          const rest = cells.filter((c) => !keys[by].has(c[by]));
          // The rest only counts while something is shown: otherwise it is the whole campaign.
          if (keys[by].size > 0) parts.push(rest);
          for (const part of parts) {
            const answers = new Set(part.map((c) => c.alike));
            if (part.length > 0) expect(answers.size === 1 && typeof part[0]?.alike === 'string').toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('withholds nothing when every cell has at least the minimum, so no derivable set is small', () => {
    // The properties above hold for a release that withholds everything; this one does not.
    const large = fc.array(
      fc.record({
        organisation: fc.constantFrom(...organisations),
        site: fc.constantFrom(...sites),
        staffGroup: fc.constantFrom(...groups),
        n: fc.integer({ min: 11, max: 40 }),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(large, (rows) => {
        const cells = new Map<string, Cell>();
        for (const { organisation, site, staffGroup, n } of rows) {
          const key = `${organisation}|${site}|${staffGroup}`;
          cells.set(key, cell(organisation, site, staffGroup, (cells.get(key)?.n ?? 0) + n));
        }
        const disclosure = discloseBreakdowns([...cells.values()], 11);
        for (const by of BREAKDOWNS) {
          const withheld = [...disclosure[by]].filter(([, s]) => s.withheld).map(([key]) => key);
          expect(withheld, by).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
