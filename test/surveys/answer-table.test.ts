import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppressAnswerTable } from '../../surveys/answer-table.js';
import type { SuppressedOptions } from '../../surveys/privacy.js';

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
