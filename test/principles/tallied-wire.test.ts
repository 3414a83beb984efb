import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Principle } from '../../server/config/schema.js';
import { addTo, emptyBurn } from '../../server/principles/figures.js';
import type { ItemTally, LatencyTallied } from '../../server/principles/latency.js';
import { emptyLatencyTally } from '../../server/principles/latency-figure.js';
import { buffersOf, packTallied, unpackTallied } from '../../server/principles/tallied-wire.js';
import { BUCKETS } from '../../server/rollups/histogram.js';

const principle: Principle = {
  id: 'responsive',
  title: 'Responsive',
  metric: 'latency',
  percentile: 95,
  target: '3s',
  hours: 'core',
};

const arbitraryItem = fc.record({
  ms: fc.array(fc.nat({ max: 2_678_400_000 }), { minLength: 8, maxLength: 8 }),
  attribution: fc.uniqueArray(
    fc.record({
      organisation: fc.option(fc.constantFrom('org-a', 'org-b', 'org-c'), { nil: null }),
      role: fc.constantFrom('owner' as const, 'host' as const),
      ms: fc.nat({ max: 2_678_400_000 }),
    }),
    { selector: (a) => `${a.organisation}/${a.role}`, maxLength: 6 },
  ),
  // Weights are hours' shares: any double, exactly.
  weights: fc.array(
    fc.tuple(fc.integer({ min: 0, max: BUCKETS - 1 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
    {
      maxLength: 12,
    },
  ),
});

type Item = typeof arbitraryItem extends fc.Arbitrary<infer T> ? T : never;

function talliedOf(items: Item[], open: boolean): LatencyTallied {
  const tallies = new Map<string, ItemTally>();
  items.forEach((item, i) => {
    const tally = emptyLatencyTally(open);
    const [up, down, maintenance, unknown, h1, h6, d1, d3] = item.ms as number[];
    const burn = { ...emptyBurn(), '1h': h1 ?? 0, '6h': h6 ?? 0, '1d': d1 ?? 0, '3d': d3 ?? 0 };
    addTo(
      tally,
      { up: up ?? 0, down: down ?? 0, maintenance: maintenance ?? 0, unknown: unknown ?? 0 },
      burn,
      item.attribution,
    );
    for (const [bucket, weight] of item.weights) {
      tally.histogram[bucket] = (tally.histogram[bucket] as number) + weight;
      if (tally.lastDay) tally.lastDay[bucket] = (tally.lastDay[bucket] as number) + weight / 3;
    }
    tallies.set(`site-${i}|system-${i % 3}`, { site: `site-${i}`, system: `system-${i % 3}`, tally });
  });
  return { principle, tallies };
}

/** Tallies as plain data: typed arrays as arrays, maps as their entries in order. */
const plain = (tallied: readonly LatencyTallied[]) =>
  tallied.map(({ principle, tallies }) => ({
    principle,
    items: [...tallies].map(([key, { site, system, tally }]) => ({
      key,
      site,
      system,
      ms: tally.ms,
      burnMs: tally.burnMs,
      attribution: [...tally.attribution],
      histogram: [...tally.histogram],
      lastDay: tally.lastDay ? [...tally.lastDay] : undefined,
    })),
  }));

/** What the other thread receives: the packed tallies through a real message port, buffers handed over. */
async function sent<T>(message: T, transfer: ArrayBuffer[]): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<T>((resolve) => port2.once('message', resolve));
  port1.postMessage(message, transfer);
  const answer = await received;
  port1.close();
  return answer;
}

describe('latency tallies sent to the other thread', () => {
  it('come back exactly as tallied: minutes, burn, attribution in order, histograms to the bit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryItem, { maxLength: 20 }), fc.boolean(), async (items, open) => {
        const tallied = [talliedOf(items, open)];
        const expected = plain(tallied);
        const packed = packTallied(tallied);
        const received = unpackTallied(await sent(packed, buffersOf(packed)));
        expect(plain(received)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('hand their buffers over rather than copy them', async () => {
    const tallied = [
      talliedOf([{ ms: [1, 2, 3, 4, 0, 0, 1, 2], attribution: [], weights: [[3, 0.5]] }], true),
    ];
    const packed = packTallied(tallied);
    const received = unpackTallied(await sent(packed, buffersOf(packed)));
    // Sent buffers are emptied on this side; the other side's histograms are views of one buffer.
    expect(packed[0]?.histograms.byteLength).toBe(0);
    const item = [...(received[0]?.tallies.values() ?? [])][0];
    expect(item?.tally.histogram.length).toBe(BUCKETS);
    expect(item?.tally.histogram[3]).toBe(0.5);
    expect(item?.tally.lastDay?.[3]).toBe(0.5 / 3);
  });
});
