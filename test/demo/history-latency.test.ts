import { describe, expect, it } from 'vitest';
import type { Estate } from '../../server/config/schema.js';
import { HourRows, profileOf } from '../../server/demo/history/latency.js';
import { type Series, seriesOf } from '../../server/demo/history/series.js';
import { RollupAccumulator } from '../../server/rollups/accumulator.js';
import { bucketMiddleMs, bucketOf } from '../../server/rollups/histogram.js';
import { estateFrom } from '../helpers/estates.js';

const estate: Estate = estateFrom(`organisations:
  - { id: icb, name: Integrated Care Board, kind: commissioner }
  - { id: leaside, name: Leaside Trust, kind: community }
sites:
  - { id: marsh-lane, name: Marsh Lane Centre, host: leaside }
systems:
  - { id: shared-care-record, name: Shared care record, owner: icb }
  - { id: email, name: Email, owner: icb }
checks:
  - { id: scr-central, system: shared-care-record, type: http, target: "http://127.0.0.1:9/scr", every: 30s, expect: { degradedMs: 800 } }
  - { id: email-relay, system: email, type: tcp, target: "127.0.0.1:9", every: 5m, from: [marsh-lane] }
`);
const [central, relay] = seriesOf(estate) as [Series, Series];

describe('an hour of the demo history as a rollup, from the live behaviour’s distribution', () => {
  it('keeps every run, and the shared care record’s slow minutes are its degraded runs', () => {
    // 120 runs off-peak: 3 minutes in 15 four times slower (1,040 ms median) than 260 ms, over 800 ms.
    const row = new HourRows().row(profileOf(central), 1, 118, 2);
    expect([row.ok + row.degraded, row.fail]).toEqual([118, 2]);
    // P(1040 ms × e^(0.35 Z) > 800 ms) = Φ(ln(1.3)/0.35) = 0.773; a fifth of 118 runs: 18.2.
    expect(row.degraded).toBe(18);
    const merged = new RollupAccumulator().add(row);
    expect(merged.counts.slice(5 * 91, 6 * 91).reduce((a, b) => a + b, 0)).toBe(118);
    // The median m solves 0.8 Φ(ln(m/260)/0.35) + 0.2 Φ(ln(m/1040)/0.35) = ½: Φ(z) = 0.625, z = 0.319,
    // m = 260 e^(0.1116) = 290.7 ms; read back as its bucket's middle.
    expect(merged.quantile('totalMs', 0.5)).toBe(bucketMiddleMs(bucketOf(290.7)));
    expect(merged.quantile('totalMs', 0.95)).toBeGreaterThan(800);
  });

  it('makes Marsh Lane’s congested minutes a slow tail of TCP connections', () => {
    // 12 runs an hour: a fifth of them over a link 300 ms slower.
    const merged = new RollupAccumulator().add(new HourRows().row(profileOf(relay), 1, 12, 0));
    expect(merged.quantile('connectMs', 0.5)).toBeLessThan(10);
    expect(merged.quantile('connectMs', 1)).toBeGreaterThan(270);
    expect(merged.quantile('totalMs', 0.75)).toBeLessThan(10);
  });
});
