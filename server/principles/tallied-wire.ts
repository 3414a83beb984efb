import type { Attribution } from '../../principles/accounting.js';
import type { Principle } from '../config/schema.js';
import { BUCKETS } from '../rollups/histogram.js';
import { attributionKey, type Tally } from './figures.js';
import type { ItemTally, LatencyTallied } from './latency.js';
import { latencyTally } from './latency-figure.js';

/**
 * A principle's latency tallies packed for the other thread: each item's minutes and burn as eight
 * numbers, its histograms one after another in one buffer, its attribution flat. A year's tallies of
 * every item are tens of thousands of objects, each with a histogram: copied object by object they cost
 * both threads hundreds of milliseconds; packed, the buffers move without a copy and the numbers come
 * back exactly.
 */
export interface PackedTallied {
  principle: Principle;
  keys: string[];
  sites: string[];
  systems: string[];
  /** Per item: up, down, maintenance, unknown, then the burn over 1 h, 6 h, 1 d and 3 d (ms). */
  numbers: Float64Array;
  /** Per item, BUCKETS weights each. */
  histograms: Float64Array;
  /** Per item, BUCKETS weights each; absent when no item has a last day (a closed period). */
  lastDays?: Float64Array;
  /** Per item, how many attributions follow in `attribution`. */
  attributions: Uint32Array;
  /** Organisation, role and ms of each attribution, item after item. */
  attribution: (string | number | null)[];
}

const NUMBERS = 8;

export function packTallied(tallied: readonly LatencyTallied[]): PackedTallied[] {
  return tallied.map(({ principle, tallies }) => {
    const items = [...tallies];
    const count = items.length;
    const numbers = new Float64Array(count * NUMBERS);
    const histograms = new Float64Array(count * BUCKETS);
    const withLastDay = items.some(([, item]) => item.tally.lastDay !== undefined);
    const lastDays = withLastDay ? new Float64Array(count * BUCKETS) : undefined;
    const attributions = new Uint32Array(count);
    const attribution: (string | number | null)[] = [];
    items.forEach(([, { tally }], i) => {
      const { ms, burnMs } = tally;
      numbers.set(
        [ms.up, ms.down, ms.maintenance, ms.unknown, burnMs['1h'], burnMs['6h'], burnMs['1d'], burnMs['3d']],
        i * NUMBERS,
      );
      histograms.set(tally.histogram, i * BUCKETS);
      if (lastDays && tally.lastDay) lastDays.set(tally.lastDay, i * BUCKETS);
      attributions[i] = tally.attribution.size;
      for (const a of tally.attribution.values()) attribution.push(a.organisation, a.role, a.ms);
    });
    return {
      principle,
      keys: items.map(([key]) => key),
      sites: items.map(([, item]) => item.site),
      systems: items.map(([, item]) => item.system),
      numbers,
      histograms,
      ...(lastDays ? { lastDays } : {}),
      attributions,
      attribution,
    };
  });
}

/** The buffers a packed answer can hand over to the other thread rather than copy. */
export const buffersOf = (packed: readonly PackedTallied[]): ArrayBuffer[] =>
  packed.flatMap((p) =>
    [p.numbers, p.histograms, p.lastDays, p.attributions].flatMap((array) =>
      array ? [array.buffer as ArrayBuffer] : [],
    ),
  );

/** The tallies as they were packed: each item's histograms are views of the packed buffers. */
export function unpackTallied(packed: readonly PackedTallied[]): LatencyTallied[] {
  return packed.map((p) => {
    const tallies = new Map<string, ItemTally>();
    let at = 0;
    p.keys.forEach((key, i) => {
      const n = p.numbers.subarray(i * NUMBERS, (i + 1) * NUMBERS);
      const base: Tally = {
        ms: { up: n[0] ?? 0, down: n[1] ?? 0, maintenance: n[2] ?? 0, unknown: n[3] ?? 0 },
        burnMs: { '1h': n[4] ?? 0, '6h': n[5] ?? 0, '1d': n[6] ?? 0, '3d': n[7] ?? 0 },
        attribution: new Map(),
      };
      for (let a = 0; a < (p.attributions[i] ?? 0); a++, at += 3) {
        const one: Attribution = {
          organisation: p.attribution[at] as string | null,
          role: p.attribution[at + 1] as Attribution['role'],
          ms: p.attribution[at + 2] as number,
        };
        base.attribution.set(attributionKey(one.organisation, one.role), one);
      }
      const tally = latencyTally(
        base,
        p.histograms.subarray(i * BUCKETS, (i + 1) * BUCKETS),
        p.lastDays?.subarray(i * BUCKETS, (i + 1) * BUCKETS),
      );
      tallies.set(key, { site: p.sites[i] as string, system: p.systems[i] as string, tally });
    });
    return { principle: p.principle, tallies };
  });
}
