import { dns } from './dns.js';
import { http } from './http.js';
import type { ProbeRunner } from './kind.js';
import { tcp } from './tcp.js';
import { tls } from './tls.js';

/** Every probe type's runner, by the name the estate file uses: what running checks needs, and no more. */
export const probeRunners = { http, tcp, dns, tls } as const satisfies Record<string, ProbeRunner>;
