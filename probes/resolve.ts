import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Attempt } from './attempt.js';
import { codeOf, lookupReason } from './classify.js';
import { ProbeFailure, Stopped } from './failure.js';
import type { Phases } from './result.js';
import { since } from './timing.js';

/**
 * The addresses of a host, resolved the way the operating system does (hosts file included), timed
 * into `dnsMs`. An IP literal needs no lookup, so its dnsMs stays null.
 *
 * getaddrinfo cannot be cancelled: on abort the run moves on and the lookup ends in the background.
 */
export async function resolveHost(host: string, attempt: Attempt, phases: Phases): Promise<string[]> {
  if (isIP(host)) return [host];
  const started = performance.now();
  try {
    const found = await attempt.wait(`resolving ${host}`, lookup(host, { all: true }));
    if (found.length === 0) throw new ProbeFailure('dns', `DNS lookup of ${host} failed: no addresses`);
    return found.map((entry) => entry.address);
  } catch (error) {
    if (error instanceof Stopped || error instanceof ProbeFailure) throw error;
    throw new ProbeFailure('dns', `DNS lookup of ${host} failed: ${lookupReason(codeOf(error))}`);
  } finally {
    phases.dnsMs = since(started);
  }
}

/** "10.1.2.3:443", or "[2001:db8::1]:443". */
export function formatAddress(ip: string, port: number): string {
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}
