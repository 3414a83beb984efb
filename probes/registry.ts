import { dnsFields } from './dns-fields.js';
import { httpFields } from './http-fields.js';
import type { ProbeKind } from './kind.js';
import { probeRunners } from './runners.js';
import { tcpFields } from './tcp-fields.js';
import { tlsFields } from './tls-fields.js';

const { http, tcp, dns, tls } = probeRunners;

/** Every probe type Vantage knows, by the name the estate file uses, with its estate-file fields. */
export const probeKinds = {
  http: { ...http, fields: httpFields },
  tcp: { ...tcp, fields: tcpFields },
  dns: { ...dns, fields: dnsFields },
  tls: { ...tls, fields: tlsFields },
} as const satisfies Record<string, ProbeKind>;

export type ProbeType = keyof typeof probeKinds;
export const probeTypes = Object.keys(probeKinds) as ProbeType[];
