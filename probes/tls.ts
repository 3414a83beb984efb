import { Attempt } from './attempt.js';
import { expiryText } from './certificate.js';
import { connectTcp } from './connect.js';
import type { ProbeRunner } from './kind.js';
import { resolveHost } from './resolve.js';
import type { ProbeResult } from './result.js';
import { parseHostPort } from './target.js';
import type { TlsSpec } from './tls-fields.js';
import { readCaFile, startTls } from './tls-session.js';

async function runTls(spec: TlsSpec, signal: AbortSignal): Promise<ProbeResult> {
  const attempt = new Attempt(spec, signal);
  try {
    const phases = attempt.hop();
    const { host, port } = parseHostPort(spec.target, 443) as { host: string; port: number };
    const caText = spec.ca === undefined ? undefined : await readCaFile(spec.ca, attempt);
    const addresses = await resolveHost(host, attempt, phases);
    const socket = await connectTcp(addresses, port, attempt, phases);
    await startTls(socket, host, { ...spec, caText }, attempt, phases, { chain: true });
    const leaf = attempt.details.certificate;
    const minDays = spec.expect?.minDaysToExpiry;
    if (leaf && minDays !== undefined && leaf.daysToExpiry < minDays) {
      const message =
        leaf.daysToExpiry < 0
          ? `certificate ${expiryText(leaf)}`
          : `certificate ${expiryText(leaf)}, fewer than the ${minDays} required`;
      return attempt.finish({ class: 'tls', message }, undefined);
    }
    return attempt.finish(undefined, spec.expect?.degradedMs);
  } catch (error) {
    return attempt.fail(error);
  } finally {
    attempt.close();
  }
}

export const tls = {
  type: 'tls' as const,
  summary: 'a TLS handshake, with the certificate chain and its expiry',
  example: 'epr.example.org:443',
  checkTarget(target) {
    const parsed = parseHostPort(target, 443);
    return typeof parsed === 'string' ? parsed : undefined;
  },
  run: runTls,
} satisfies ProbeRunner;
