import type { Histogram } from './histogram.js';

/** The phases a rollup keeps a histogram of, in the order they are encoded. */
export const PHASES = ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'transferMs', 'totalMs'] as const;
export type PhaseName = (typeof PHASES)[number];
export type PhaseHistograms = Record<PhaseName, Histogram>;

export function emptyPhases(): PhaseHistograms {
  return Object.fromEntries(PHASES.map((phase) => [phase, new Map()])) as PhaseHistograms;
}

/**
 * Phase histograms as a compact blob: per phase, the number of used buckets, then (bucket gap,
 * count) pairs, all as unsigned LEB128 varints. A typical hour of one check takes 30 to 80 bytes.
 */
export function encodePhases(phases: PhaseHistograms): Buffer {
  const bytes: number[] = [];
  const varint = (value: number) => {
    let v = value;
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
  };
  for (const phase of PHASES) {
    const buckets = [...phases[phase].entries()].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
    varint(buckets.length);
    let previous = 0;
    for (const [bucket, count] of buckets) {
      varint(bucket - previous);
      varint(count);
      previous = bucket;
    }
  }
  return Buffer.from(bytes);
}

/**
 * Reads an encoded blob, calling `visit` with each used bucket: the phase's index in PHASES, the
 * bucket and its count. The one reader of the format, for decoding and for fast accumulation alike.
 */
export function forEachBucket(
  blob: Uint8Array,
  visit: (phase: number, bucket: number, count: number) => void,
): void {
  let at = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = blob[at++];
      if (byte === undefined) throw new RangeError('truncated rollup histogram');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  for (let phase = 0; phase < PHASES.length; phase++) {
    const used = varint();
    let bucket = 0;
    for (let i = 0; i < used; i++) {
      bucket += varint();
      visit(phase, bucket, varint());
    }
  }
}

export function decodePhases(blob: Uint8Array): PhaseHistograms {
  const phases = emptyPhases();
  forEachBucket(blob, (phase, bucket, count) => {
    phases[PHASES[phase] as PhaseName].set(bucket, count);
  });
  return phases;
}
