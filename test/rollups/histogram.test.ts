import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePhases, emptyPhases, encodePhases, PHASES, phaseBuckets } from '../../server/rollups/codec.js';
import {
  BUCKETS,
  bucketMiddleMs,
  bucketOf,
  bucketUpperMs,
  type Histogram,
  merge,
  quantile,
  record,
  total,
} from '../../server/rollups/histogram.js';

const latency = fc.double({ min: 0.01, max: 120_000, noNaN: true });

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? Number.NaN;
}

describe('latency histogram', () => {
  it('puts each value in the bucket whose bounds hold it', () => {
    fc.assert(
      fc.property(latency, (ms) => {
        const bucket = bucketOf(ms);
        expect(bucket).toBeGreaterThanOrEqual(0);
        expect(bucket).toBeLessThan(BUCKETS);
        if (bucket > 0) expect(ms).toBeGreaterThan(bucketUpperMs(bucket - 1) * (1 - 1e-9));
        expect(ms).toBeLessThanOrEqual(bucketUpperMs(bucket) * (1 + 1e-9));
      }),
    );
  });

  it('reads percentiles within a bucket’s resolution (±9.5%) of the exact ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.2, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.5, 0.9, 0.95, 0.99, 1),
        (values, q) => {
          const histogram: Histogram = new Map();
          for (const v of values) record(histogram, v);
          const estimate = quantile(histogram, q) ?? Number.NaN;
          const exact = exactQuantile(values, q);
          expect(estimate / exact).toBeGreaterThan(1 / 2 ** 0.125 - 1e-9);
          expect(estimate / exact).toBeLessThan(2 ** 0.125 + 1e-9);
        },
      ),
    );
  });

  it('merges exactly: the merge of parts is the histogram of the whole', () => {
    fc.assert(
      fc.property(fc.array(fc.array(latency, { maxLength: 50 }), { maxLength: 8 }), (parts) => {
        const whole: Histogram = new Map();
        for (const v of parts.flat()) record(whole, v);
        const merged: Histogram = new Map();
        for (const part of parts) {
          const h: Histogram = new Map();
          for (const v of part) record(h, v);
          merge(merged, h);
        }
        expect(merged).toEqual(whole);
        expect(total(merged)).toBe(parts.flat().length);
      }),
    );
  });

  it('encodes phase histograms compactly and decodes them unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('dnsMs', 'ttfbMs', 'totalMs'),
            latency,
            fc.integer({ min: 1, max: 100_000 }),
          ),
        ),
        (entries) => {
          const phases = emptyPhases();
          for (const [phase, ms, count] of entries) record(phases[phase as 'dnsMs'], ms, count);
          expect(decodePhases(encodePhases(phases))).toEqual(phases);
        },
      ),
    );
    expect(quantile(new Map(), 0.5)).toBeNull();
    expect(bucketMiddleMs(0)).toBeLessThan(bucketUpperMs(0));
  });

  it('reads one phase of a blob as decoding the whole would, stepping over the others', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...PHASES), latency, fc.integer({ min: 1, max: 100_000 }))),
        (entries) => {
          const phases = emptyPhases();
          for (const [phase, ms, count] of entries) record(phases[phase], ms, count);
          const blob = encodePhases(phases);
          PHASES.forEach((phase, index) => {
            const buckets: number[] = [];
            const counts: number[] = [];
            phaseBuckets(blob, index, buckets, counts);
            const expected = [...phases[phase]].sort((a, b) => a[0] - b[0]);
            expect(buckets.map((b, i) => [b, counts[i]])).toEqual(expected);
          });
        },
      ),
    );
    expect(() => phaseBuckets(encodePhases(emptyPhases()).subarray(0, 3), 5, [], [])).toThrow(RangeError);
  });
});
