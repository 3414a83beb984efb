import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../server/config/schema.js';
import { type Found, longest } from '../../server/reports/estate-pass.js';

const check = (id: string) => ({ id }) as Check;

/** The order a report lists outages in: longest first, then earliest, then by check and vantage point. */
const listedOrder = (a: Found, b: Found) =>
  b.to - b.from - (a.to - a.from) ||
  a.from - b.from ||
  (a.check.id < b.check.id ? -1 : a.check.id > b.check.id ? 1 : 0) ||
  (a.vantagePoint < b.vantagePoint ? -1 : a.vantagePoint > b.vantagePoint ? 1 : 0);

describe("a report's longest outages", () => {
  it('are the first of all the outages in the listed order, ties at the cut included', () => {
    const outage = fc
      .record({
        check: fc.constantFrom('epr-login', 'epr-api', 'pacs'),
        vantagePoint: fc.constantFrom('st-annes', 'marsh-lane'),
        from: fc.integer({ min: 0, max: 50 }),
        // Few lengths, so many outages tie in length at the cut.
        minutes: fc.integer({ min: 1, max: 6 }),
      })
      .map(({ check: id, vantagePoint, from, minutes }) => ({
        check: check(id),
        vantagePoint,
        from: from * 60_000,
        to: (from + minutes) * 60_000,
      }));
    fc.assert(
      fc.property(fc.array(outage, { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (found, count) => {
        const all = [...found].sort(listedOrder).slice(0, count);
        expect(longest(found, count)).toEqual(all);
      }),
      { numRuns: 300 },
    );
  });
});
