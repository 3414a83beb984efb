import { BUCKETS, type Histogram } from './histogram.js';

/** The phases a rollup keeps a histogram of, in the order they are encoded. */
export const PHASES = ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'transferMs', 'totalMs'] as const;
export type PhaseName = (typeof PHASES)[number];
export type PhaseHistograms = Record<PhaseName, Histogram>;

export function emptyPhases(): PhaseHistograms {
  return {
    dnsMs: new Map(),
    connectMs: new Map(),
    tlsMs: new Map(),
    ttfbMs: new Map(),
    transferMs: new Map(),
    totalMs: new Map(),
  };
}

/** Room for the largest blob: six phases of every bucket, each a gap and a count of up to 5 bytes. */
const scratch = Buffer.allocUnsafe(PHASES.length * (5 + BUCKETS * 10));
/** The used buckets of the phase being encoded, reused from call to call. */
const used: number[] = [];
function collect(count: number, bucket: number): void {
  if (count > 0) used.push(bucket);
}

/**
 * Phase histograms as a compact blob: per phase, the number of used buckets, then (bucket gap,
 * count) pairs, all as unsigned LEB128 varints. A typical hour of one check takes 30 to 80 bytes.
 * Written into a scratch buffer and copied out once: no entry arrays, sort work arrays or byte lists.
 */
export function encodePhases(phases: PhaseHistograms): Buffer {
  let at = 0;
  const varint = (value: number) => {
    let v = value;
    while (v >= 0x80) {
      scratch[at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    scratch[at++] = v;
  };
  for (const phase of PHASES) {
    const histogram = phases[phase];
    used.length = 0;
    histogram.forEach(collect);
    // Insertion sort: a few dozen buckets at most, and Array#sort allocates a work array.
    for (let i = 1; i < used.length; i++) {
      const bucket = used[i] as number;
      let j = i - 1;
      while (j >= 0 && (used[j] as number) > bucket) {
        used[j + 1] = used[j] as number;
        j--;
      }
      used[j + 1] = bucket;
    }
    varint(used.length);
    let previous = 0;
    for (const bucket of used) {
      varint(bucket - previous);
      varint(histogram.get(bucket) as number);
      previous = bucket;
    }
  }
  return Buffer.from(scratch.subarray(0, at));
}

/**
 * The varints of a blob one after another; `skip` steps over some without reading their values. A class,
 * not a closure: a period's latency reads a blob for every hour of every check.
 */
class Varints {
  #at = 0;
  readonly #blob: Uint8Array;

  constructor(blob: Uint8Array) {
    this.#blob = blob;
  }

  next(): number {
    const blob = this.#blob;
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = blob[this.#at++];
      if (byte === undefined) throw new RangeError('truncated rollup histogram');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }

  /** Steps over each byte until one ends a varint, `count` times. */
  skip(count: number): void {
    const blob = this.#blob;
    let at = this.#at;
    for (let ends = 0; ends < count; ) if ((blob[at++] ?? 0) < 0x80) ends++;
    this.#at = at;
    if (at > blob.length) throw new RangeError('truncated rollup histogram');
  }
}

/**
 * Reads an encoded blob, calling `visit` with each used bucket: the phase's index in PHASES, the
 * bucket and its count. The one reader of the format, for decoding and for fast accumulation alike.
 */
export function forEachBucket(
  blob: Uint8Array,
  visit: (phase: number, bucket: number, count: number) => void,
): void {
  const varints = new Varints(blob);
  for (let phase = 0; phase < PHASES.length; phase++) {
    const used = varints.next();
    let bucket = 0;
    for (let i = 0; i < used; i++) {
      bucket += varints.next();
      visit(phase, bucket, varints.next());
    }
  }
}

/**
 * The used buckets of one phase of an encoded blob, appended to `buckets` and `counts`: the other
 * phases are stepped over without a call per bucket, for readers of one phase over many rollups.
 */
export function phaseBuckets(blob: Uint8Array, phase: number, buckets: number[], counts: number[]): void {
  const varints = new Varints(blob);
  // Two varints a bucket: step over each byte until one ends a varint, twice per bucket.
  for (let p = 0; p < phase; p++) varints.skip(varints.next() * 2);
  const used = varints.next();
  let bucket = 0;
  for (let i = 0; i < used; i++) {
    bucket += varints.next();
    buckets.push(bucket);
    counts.push(varints.next());
  }
}

export function decodePhases(blob: Uint8Array): PhaseHistograms {
  const phases = emptyPhases();
  forEachBucket(blob, (phase, bucket, count) => {
    phases[PHASES[phase] as PhaseName].set(bucket, count);
  });
  return phases;
}
