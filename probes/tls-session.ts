import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { isIP, type Socket } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { Attempt } from './attempt.js';
import { caTextProblem, readFailure } from './ca-file.js';
import { certificateFacts, chainFacts, expiryText } from './certificate.js';
import { ProbeFailure } from './failure.js';
import type { CertificateFacts, Phases } from './result.js';
import { since } from './timing.js';

/** The TLS options shared by the http and tls checks, as the estate file gives them. */
export interface TlsSettings {
  servername?: string;
  /** A PEM file of the certificate authorities to trust instead of the system's. */
  ca?: string;
  insecure?: boolean;
}

/** Read at run time so a renewed CA file is picked up without a reload; unreadable fails the run. */
export async function readCaFile(file: string, attempt: Attempt): Promise<string> {
  let text: string;
  try {
    text = await attempt.wait(`reading the CA file ${file}`, readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new ProbeFailure('invalid', `cannot read the CA file ${file}: ${readFailure(error)}`);
  }
  const problem = caTextProblem(file, text);
  if (problem) throw new ProbeFailure('invalid', problem);
  return text;
}

/**
 * The TLS handshake over a connected socket, timed into `tlsMs`. Verification is done here rather
 * than by OpenSSL refusing the handshake, so the certificate facts are known for every result,
 * untrusted or insecure ones included, and nothing is sent to a server that is not trusted.
 */
export async function startTls(
  socket: Socket,
  host: string,
  settings: TlsSettings & { caText?: string },
  attempt: Attempt,
  phases: Phases,
  options: { chain: boolean },
): Promise<TLSSocket> {
  const name = settings.servername ?? host;
  const started = performance.now();
  const secure = attempt.own(
    connect({
      socket,
      host: name,
      servername: isIP(name) ? undefined : name,
      ca: settings.caText,
      rejectUnauthorized: false,
    }),
  );
  try {
    await attempt.wait(`in the TLS handshake with ${attempt.details.address}`, once(secure, 'secureConnect'));
    phases.tlsMs = since(started);
    const peer = secure.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
    const facts = peer?.raw ? certificateFacts(peer) : undefined;
    if (facts) attempt.details.certificate = facts;
    if (peer?.raw && options.chain) attempt.details.chain = chainFacts(peer);
    if (!secure.authorized && !settings.insecure) {
      const code = String(secure.authorizationError);
      throw new ProbeFailure('tls', untrustedMessage(code, name, facts, peer?.subjectaltname));
    }
    return secure;
  } catch (error) {
    phases.tlsMs ??= since(started);
    // The TLS socket owns the TCP socket's handle now: it must be the one destroyed (see Attempt.close).
    secure.destroy();
    throw error;
  }
}

/** Why OpenSSL or the name check refused the certificate, in words. */
function untrustedMessage(
  code: string,
  name: string,
  facts: CertificateFacts | undefined,
  altNames: string | undefined,
): string {
  const issuer = facts?.issuer ? ` (${facts.issuer})` : '';
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return facts ? `certificate ${expiryText(facts)}` : 'certificate expired';
    case 'CERT_NOT_YET_VALID':
      return `certificate is not valid until ${facts?.validFrom ?? 'later'}`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `certificate of ${name} is self-signed and not trusted (give its CA file, or set insecure)`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `certificate chain of ${name} ends in a root that is not trusted`;
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `certificate of ${name} is issued by an authority that is not trusted${issuer}`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `certificate is not for ${name} (it is for ${altNames || facts?.subject || 'other names'})`;
    default:
      return `certificate of ${name} is not trusted (${code})`;
  }
}
