import { dns } from './dns.js';
import { httpProbe } from './http.js';
import type { ProbeRunner } from './kind.js';
import { PatternMatcher } from './pattern-matcher.js';
import { tcp } from './tcp.js';
import { tls } from './tls.js';

/**
 * Every probe type's runner, by the name the estate file uses: what running checks needs, and no
 * more. The registry is the process's one set of probes, so it holds the one thread body patterns
 * are matched on; the thread starts at the first match and ends when idle.
 */
export const probeRunners = {
  http: httpProbe(new PatternMatcher()),
  tcp,
  dns,
  tls,
} as const satisfies Record<string, ProbeRunner>;
