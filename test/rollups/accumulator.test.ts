import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollupAccumulator } from '../../server/rollups/accumulator.js';
import { PHASES } from '../../server/rollups/codec.js';
import { quantile } from '../../server/rollups/histogram.js';
import { addRun, emptyRollup, fromRow, mergeRollups, toRow } from '../../server/rollups/rollup.js';

const run = fc.record({
  state: fc.constantFrom('ok' as const, 'degraded' as const, 'fail' as const, 'skipped' as const),
  total: fc.double({ min: 0.05, max: 90_000, noNaN: true }),
  dns: fc.option(fc.double({ min: 0.05, max: 500, noNaN: true }), { nil: null }),
});

describe('rollup accumulator', () => {
  it('reads stored rollups exactly as merging them would', () => {
    fc.assert(
      fc.property(fc.array(fc.array(run, { maxLength: 30 }), { minLength: 1, maxLength: 10 }), (parts) => {
        const merged = emptyRollup();
        const accumulator = new RollupAccumulator();
        for (const part of parts) {
          const rollup = emptyRollup();
          for (const r of part) {
            const phases = {
              dnsMs: r.dns,
              connectMs: null,
              tlsMs: null,
              ttfbMs: r.total / 2,
              transferMs: null,
              totalMs: r.total,
            };
            addRun(rollup, r.state, r.state === 'skipped' ? null : phases);
          }
          accumulator.add(toRow(rollup));
          mergeRollups(merged, rollup);
        }
        expect([accumulator.ok, accumulator.degraded, accumulator.fail, accumulator.skipped]).toEqual([
          merged.ok,
          merged.degraded,
          merged.fail,
          merged.skipped,
        ]);
        expect(accumulator.minMs).toBe(merged.minMs);
        expect(accumulator.maxMs).toBe(merged.maxMs);
        for (const phase of PHASES) {
          for (const q of [0.5, 0.95, 0.99])
            expect(accumulator.quantile(phase, q)).toBe(quantile(merged.phases[phase], q));
        }
        // Kept as a row, the merge reads back as the rollups merged.
        expect(fromRow(accumulator.toRow())).toEqual({ ...merged, sumMs: expect.closeTo(merged.sumMs, 6) });
      }),
    );
  });
});
