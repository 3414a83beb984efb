import { dns } from './dns.js';
import { http } from './http.js';
import type { ProbeKind } from './kind.js';
import { tcp } from './tcp.js';
import { tls } from './tls.js';

/** Every probe type Vantage knows, by the name the estate file uses. */
export const probeKinds = { http, tcp, dns, tls } as const satisfies Record<string, ProbeKind>;

export type ProbeType = keyof typeof probeKinds;
export const probeTypes = Object.keys(probeKinds) as ProbeType[];
