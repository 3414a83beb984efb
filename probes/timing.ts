import type { Phases } from './result.js';

export function emptyPhases(): Phases {
  return { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 0 };
}

/** Milliseconds since a performance.now() reading. */
export function since(start: number): number {
  return performance.now() - start;
}

/**
 * The phases of a run over several requests (an HTTP redirect chain), each phase summed over the
 * hops as blackbox_exporter does; a phase no hop had stays null. The total is the run's wall time.
 */
export function sumPhases(hops: readonly Phases[], totalMs: number): Phases {
  const sum = emptyPhases();
  for (const hop of hops) {
    sum.dnsMs = add(sum.dnsMs, hop.dnsMs);
    sum.connectMs = add(sum.connectMs, hop.connectMs);
    sum.tlsMs = add(sum.tlsMs, hop.tlsMs);
    sum.ttfbMs = add(sum.ttfbMs, hop.ttfbMs);
    sum.transferMs = add(sum.transferMs, hop.transferMs);
  }
  return {
    dnsMs: rounded(sum.dnsMs),
    connectMs: rounded(sum.connectMs),
    tlsMs: rounded(sum.tlsMs),
    ttfbMs: rounded(sum.ttfbMs),
    transferMs: rounded(sum.transferMs),
    totalMs: rounded(totalMs),
  };
}

function add(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : a + b;
}

/** Microsecond precision is all a millisecond reading means; it keeps stored JSON short. */
function rounded<T extends number | null>(ms: T): T {
  return (ms === null ? null : Math.round(ms * 1000) / 1000) as T;
}
