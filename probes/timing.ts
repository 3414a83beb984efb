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
  let dnsMs: number | null = null;
  let connectMs: number | null = null;
  let tlsMs: number | null = null;
  let ttfbMs: number | null = null;
  let transferMs: number | null = null;
  for (const hop of hops) {
    dnsMs = add(dnsMs, hop.dnsMs);
    connectMs = add(connectMs, hop.connectMs);
    tlsMs = add(tlsMs, hop.tlsMs);
    ttfbMs = add(ttfbMs, hop.ttfbMs);
    transferMs = add(transferMs, hop.transferMs);
  }
  return {
    dnsMs: rounded(dnsMs),
    connectMs: rounded(connectMs),
    tlsMs: rounded(tlsMs),
    ttfbMs: rounded(ttfbMs),
    transferMs: rounded(transferMs),
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
