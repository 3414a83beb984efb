import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachSummary, encodeBody, type VantageSummary } from '../../server/principles/kept-body.js';

const read = (body: string | Uint8Array) => {
  const out: [string, VantageSummary][] = [];
  eachSummary(body, (vp, s, h) => out.push([vp, { s, h }]));
  return out;
};

const summaries = fc.uniqueArray(
  fc.tuple(
    fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.string({ minLength: 1, maxLength: 12 })),
    fc.record({
      s: fc.array(fc.integer({ min: 0, max: 745 }), { maxLength: 30 }),
      h: fc
        .array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.double({ noNaN: true })), { maxLength: 40 })
        .map((pairs) => pairs.flat()),
    }),
  ),
  { selector: ([vp]) => vp, maxLength: 8 },
);

describe("a kept latency row's body", () => {
  it('reads back as written, every weight to the bit, whatever the vantage points are called', () => {
    fc.assert(
      fc.property(summaries, (written) => {
        const back = read(encodeBody(written));
        expect(back.map(([vp]) => vp)).toEqual(written.map(([vp]) => vp));
        back.forEach(([, { s, h }], i) => {
          const [, expected] = written[i] as [string, VantageSummary];
          expect(s).toEqual(expected.s);
          expect(new Float64Array(h)).toEqual(new Float64Array(expected.h));
          expect(h.map((w) => Object.is(w, -0))).toEqual(expected.h.map((w) => Object.is(w, -0)));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads a row kept before as JSON as the same summaries', () => {
    fc.assert(
      fc.property(summaries, (written) => {
        const finite = written.map(
          ([vp, { s, h }]) =>
            [vp, { s, h: h.map((w) => (Number.isFinite(w) && !Object.is(w, -0) ? w : 1)) }] as const,
        );
        const json = JSON.stringify(Object.fromEntries(finite));
        const fromJson = new Map(read(json));
        const fromBytes = new Map(read(encodeBody(finite)));
        expect(fromBytes).toEqual(fromJson);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a value that does not fit, rather than keeping another', () => {
    expect(() => encodeBody([['site', { s: [70_000, 70_001, 1], h: [] }]])).toThrow(/16-bit/);
    expect(() => encodeBody([['site', { s: [0.5, 1, 1], h: [] }]])).toThrow(/16-bit/);
  });
});
