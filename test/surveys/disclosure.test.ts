import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BREAKDOWNS,
  type Breakdown,
  type Cell,
  type Disclosure,
  discloseBreakdowns,
  suppressAnswerTable,
} from '../../surveys/disclosure.js';
import { type SuppressedOptions, WITHHELD_REASONS } from '../../surveys/privacy.js';

const cell = (organisation: string, site: string, staffGroup: string, n: number): Cell => ({
  organisation,
  site,
  staffGroup,
  n,
});

/** Key → shown count, or null where withheld. */
const shown = (disclosure: Disclosure, by: Breakdown) =>
  Object.fromEntries([...disclosure[by]].map(([key, s]) => [key, s.n]));

/** How many respondents are in group g of breakdown x and not in the union of groups hs of y, and back. */
function difference(cells: readonly Cell[], x: Breakdown, g: string, y: Breakdown, hs: readonly string[]) {
  let onlyG = 0;
  let onlyH = 0;
  for (const c of cells) {
    const inG = c[x] === g;
    const inH = hs.includes(c[y]);
    if (inG && !inH) onlyG += c.n;
    if (inH && !inG) onlyH += c.n;
  }
  return onlyG + onlyH;
}

describe('discloseBreakdowns', () => {
  it('withholds a practice beside its one site when they differ by one visitor', () => {
    // Bow Yard Practice's 15 all answer at Bow Yard Surgery, where one nurse from the trust also
    // answered: surgery (16) − practice (15) would be that nurse's answers.
    const hostOf = new Map([
      ['bow-yard-surgery', 'bow-yard'],
      ['royal', 'trust'],
      ['annex', 'trust'],
    ]);
    const cells = [
      cell('bow-yard', 'bow-yard-surgery', 'admin', 15),
      cell('trust', 'bow-yard-surgery', 'nursing', 1),
      cell('trust', 'royal', 'nursing', 60),
      cell('trust', 'royal', 'medical', 40),
      cell('trust', 'annex', 'admin', 30),
    ];
    const disclosure = discloseBreakdowns(cells, hostOf, 11);
    expect(disclosure.organisation.get('bow-yard')).toEqual({
      n: null,
      withheld: true,
      reason: WITHHELD_REASONS.linked,
    });
    expect(shown(disclosure, 'site')).toEqual({ 'bow-yard-surgery': 16, royal: 100, annex: 30 });
    // Withholding the practice alone would leave it as total − trust; so the trust goes too.
    expect(shown(disclosure, 'organisation')).toEqual({ 'bow-yard': null, trust: null });
    // The same nurse also tells Royal (100) from its nursing and medical staff together (101):
    // medical goes, and admin with it, or medical would be the total − admin − nursing.
    expect(shown(disclosure, 'staffGroup')).toEqual({ admin: null, medical: null, nursing: 61 });
    // Each breakdown on its own would have shown everything.
    const alone = discloseBreakdowns(cells.slice(0, 1), hostOf, 11);
    expect(shown(alone, 'organisation')).toEqual({ 'bow-yard': 15 });
  });

  it('compares an organisation with all its sites together, not only one at a time', () => {
    // Riverside's 70 at its own two sites and 3 at Leaside's: organisation (73) − its sites (70).
    const hostOf = new Map([
      ['royal', 'riverside'],
      ['st-annes', 'riverside'],
      ['leaside-house', 'leaside'],
    ]);
    const cells = [
      cell('riverside', 'royal', 'nursing', 40),
      cell('riverside', 'st-annes', 'nursing', 30),
      cell('riverside', 'leaside-house', 'nursing', 3),
      cell('leaside', 'leaside-house', 'admin', 50),
      cell('leaside', 'leaside-house', 'medical', 20),
    ];
    const disclosure = discloseBreakdowns(cells, hostOf, 11);
    // Any one site against Riverside differs by 30 or more; the two together by 3.
    expect(difference(cells, 'organisation', 'riverside', 'site', ['royal'])).toBe(33);
    expect(difference(cells, 'organisation', 'riverside', 'site', ['royal', 'st-annes'])).toBe(3);
    const visible = BREAKDOWNS.flatMap((by) =>
      [...disclosure[by]].filter(([, s]) => !s.withheld).map(([key]) => `${by}:${key}`),
    );
    expect(visible).not.toEqual(
      expect.arrayContaining(['organisation:riverside', 'site:royal', 'site:st-annes']),
    );
    const reasons = BREAKDOWNS.flatMap((by) =>
      [...disclosure[by].values()].map((s) => s.withheld && s.reason),
    );
    expect(reasons).toContain(WITHHELD_REASONS.linked);
  });

  it('compares a staff group with an organisation that is mostly that group', () => {
    const hostOf = new Map([
      ['town-hall', 'council'],
      ['royal', 'trust'],
    ]);
    // The council's 40 are social care but for 4 admin staff; 40 − 36 would be those 4.
    const cells = [
      cell('council', 'town-hall', 'social-care', 36),
      cell('council', 'town-hall', 'admin', 4),
      cell('trust', 'royal', 'nursing', 80),
      cell('trust', 'royal', 'admin', 30),
    ];
    const disclosure = discloseBreakdowns(cells, hostOf, 11);
    const council = disclosure.organisation.get('council');
    const socialCare = disclosure.staffGroup.get('social-care');
    expect(council?.withheld || socialCare?.withheld).toBe(true);
  });

  it('keeps groups withheld beforehand withheld, and protects them like any other', () => {
    const hostOf = new Map([
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'y'],
    ]);
    const cells = [cell('x', 'a', 'nursing', 30), cell('x', 'b', 'medical', 30), cell('y', 'c', 'admin', 30)];
    const disclosure = discloseBreakdowns(cells, hostOf, 11, {
      site: new Map([['a', WITHHELD_REASONS.withinWithheld]]),
    });
    expect(disclosure.site.get('a')).toMatchObject({
      withheld: true,
      reason: WITHHELD_REASONS.withinWithheld,
    });
    // With a withheld, b would give it away from x's total by subtraction: it goes too.
    expect(disclosure.site.get('b')?.withheld).toBe(true);
  });

  it('is the same whichever breakdown is asked for, and never changes its mind on a second look', () => {
    const hostOf = new Map([['s', 'o']]);
    const cells = [cell('o', 's', 'nursing', 12), cell('p', 's', 'admin', 3)];
    expect(discloseBreakdowns(cells, hostOf, 11)).toEqual(
      discloseBreakdowns([...cells].reverse(), hostOf, 11),
    );
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
      n: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 60 })),
    }),
    { maxLength: 30 },
  )
  .map((rows) => {
    const cells = new Map<string, Cell>();
    for (const row of rows) {
      const organisation = row.visitor ? row.elsewhere : (hostOf.get(row.site) as string);
      const key = `${organisation}|${row.site}|${row.staffGroup}`;
      const n = (cells.get(key)?.n ?? 0) + row.n;
      cells.set(key, cell(organisation, row.site, row.staffGroup, n));
    }
    return [...cells.values()];
  });

describe('discloseBreakdowns: properties', () => {
  it('never shows two groups of different breakdowns that differ by fewer than the minimum', () => {
    fc.assert(
      fc.property(economy, fc.integer({ min: 10, max: 13 }), (cells, min) => {
        const disclosure = discloseBreakdowns(cells, hostOf, min);
        const visible = (by: Breakdown) => [...disclosure[by]].filter(([, s]) => !s.withheld).map(([k]) => k);
        for (const x of BREAKDOWNS) {
          for (const g of visible(x)) {
            expect(disclosure[x].get(g)?.n).toBeGreaterThanOrEqual(min);
            for (const y of BREAKDOWNS) {
              if (y === x) continue;
              for (const h of visible(y)) {
                const d = difference(cells, x, g, y, [h]);
                if (d > 0) expect(d).toBeGreaterThanOrEqual(min);
              }
              // An organisation against all its shown sites together.
              if (x === 'organisation' && y === 'site') {
                const own = visible('site').filter((site) => hostOf.get(site) === g);
                const all = sites.filter(
                  (site) => hostOf.get(site) === g && cells.some((c) => c.site === site),
                );
                if (own.length > 1 && own.length === all.length) {
                  const d = difference(cells, x, g, y, own);
                  if (d > 0) expect(d).toBeGreaterThanOrEqual(min);
                }
              }
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('suppressAnswerTable', () => {
  it('withholds a column’s next count when a small one could be read off the campaign’s total', () => {
    // Group A's 3 who answered 1 are withheld in its row; without more, 8 − 5 gives them back.
    const overall = { '1': 8, '2': 40, '3': 52 };
    const rows = new Map([
      ['a', { '1': 3, '2': 20, '3': 27 }],
      ['b', { '1': 5, '2': 20, '3': 25 }],
    ]);
    const [out] = suppressAnswerTable(overall, [rows]).tables as [Map<string, SuppressedOptions>];
    expect(out.get('a')?.counts['1']).toBeNull();
    expect(out.get('b')?.counts['1']).toBeNull();
  });

  it('does not let a lone withheld count be the whole of what a column is missing', () => {
    // A's 2 and 6 go together; the 6 would then be 26 − 20 from the second column. (The campaign's
    // 7 who answered 1 include 5 from groups not shown.)
    const overall = { '1': 7, '2': 26, '3': 60 };
    const rows = new Map([
      ['a', { '1': 2, '2': 6, '3': 30 }],
      ['b', { '1': 0, '2': 20, '3': 30 }],
    ]);
    const [out] = suppressAnswerTable(overall, [rows]).tables as [Map<string, SuppressedOptions>];
    expect(out.get('a')?.withheld).toEqual(expect.arrayContaining(['1', '2']));
    expect(out.get('b')?.counts['2']).toBeNull();
    // …and b's row then has two withheld, so neither can be found from b's total.
    expect(out.get('b')?.withheld.length).toBeGreaterThanOrEqual(2);
  });

  it('leaves every row and column of two breakdowns with nothing, or at least two or 5 people, withheld', () => {
    const options = ['1', '2', '3', '4'];
    const people = fc.array(fc.array(fc.nat({ max: 8 }), { minLength: 4, maxLength: 4 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(people, fc.nat({ max: 6 }), (cells, extra) => {
        // The same cells grouped two ways, as by site and by organisation; groups under 10 are not shown.
        const tableOf = (groupOf: (i: number) => string) => {
          const rows = new Map<string, Record<string, number>>();
          cells.forEach((cell, i) => {
            const row = rows.get(groupOf(i)) ?? Object.fromEntries(options.map((o) => [o, 0]));
            options.forEach((o, j) => {
              row[o] = (row[o] ?? 0) + (cell[j] ?? 0);
            });
            rows.set(groupOf(i), row);
          });
          return new Map([...rows].filter(([, row]) => Object.values(row).reduce((t, n) => t + n, 0) >= 10));
        };
        const given = [tableOf((i) => `a${i % 2}`), tableOf((i) => `b${i % 3}`)];
        // The campaign has the cells' answers plus some from groups not shown.
        const overall = Object.fromEntries(
          options.map((o, j) => [
            o,
            cells.reduce((sum, cell) => sum + (cell[j] ?? 0), 0) + (j === 0 ? extra : 0),
          ]),
        );
        const { overall: whole, tables } = suppressAnswerTable(overall, given);
        given.forEach((rows, t) => {
          const out = tables[t] as Map<string, SuppressedOptions>;
          for (const [key, row] of out) {
            const counts = rows.get(key) as Record<string, number>;
            const hidden = row.withheld.reduce((sum, o) => sum + (counts[o] ?? 0), 0);
            const positive = options.filter((o) => (counts[o] ?? 0) > 0).length;
            if (row.withheld.length > 0 && positive > 1) {
              expect(row.withheld.length).toBeGreaterThanOrEqual(2);
              expect(hidden).toBeGreaterThanOrEqual(5);
            }
          }
          for (const o of options) {
            if (whole.counts[o] === null) continue;
            const seen = [...out.values()].reduce((sum, row) => sum + (row.counts[o] ?? 0), 0);
            const unseen = (overall[o] ?? 0) - seen;
            if (unseen > 0) expect(unseen).toBeGreaterThanOrEqual(5);
            const lone = [...out].filter(
              ([key, row]) => row.counts[o] === null && (rows.get(key)?.[o] ?? 0) > 0,
            );
            if (lone.length === 1) expect(unseen).not.toBe(rows.get(lone[0]?.[0] as string)?.[o]);
          }
        });
      }),
      { numRuns: 1000 },
    );
  });
});
