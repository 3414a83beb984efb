import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, withHash } from '../../server/reports/canonical.js';

/** The plain definition: every object copied with its keys sorted, then written. */
function byDefinition(value: unknown): string {
  const sortedCopy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortedCopy);
    if (v === null || typeof v !== 'object') return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = sortedCopy((v as Record<string, unknown>)[key]);
    return sorted;
  };
  return JSON.stringify(sortedCopy(value));
}

describe('canonical JSON', () => {
  it('writes every object with its keys sorted, whether they came in order or not', () => {
    // Keys drawn from a few, so objects with keys in order and out of order both come up often.
    const key = fc.constantFrom('a', 'b', 'site', 'system', 'Z', 'é', '_', 'value', 'minutes');
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(
          fc.string(),
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.boolean(),
        ),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 6 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(byDefinition(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes what toJSON gives, in order, and leaves out undefined members as JSON.stringify does', () => {
    const value = {
      z: new Date(0),
      a: [undefined, { d: 1, c: { f: 2, e: undefined } }],
      m: { toJSON: () => ({ y: 1, x: 2 }) },
    };
    expect(canonicalJson(value)).toBe(
      '{"a":[null,{"c":{"f":2},"d":1}],"m":{"x":2,"y":1},"z":"1970-01-01T00:00:00.000Z"}',
    );
    // The value itself is left as it was.
    expect(Object.keys(value.a[1] as object)).toEqual(['d', 'c']);
  });

  it('gives the same text and hash for the same value built in another order', () => {
    const one = withHash({ b: { y: 1, x: [{ d: 2, c: 3 }] }, a: 'first', hash: 'ignored' });
    const other = withHash({ a: 'first', b: { x: [{ c: 3, d: 2 }], y: 1 } });
    expect(one).toEqual(other);
    expect(one.text).toBe(`{"a":"first","b":{"x":[{"c":3,"d":2}],"y":1},"hash":"${one.hash}"}`);
  });
});
