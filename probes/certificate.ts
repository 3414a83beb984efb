import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import type { CertificateFacts } from './result.js';

const DAY_MS = 86_400_000;
/** Longer chains than this are not real; the bound keeps a malformed issuer loop finite. */
const MAX_CHAIN = 10;

export function certificateFacts(cert: PeerCertificate, now = Date.now()): CertificateFacts {
  const validTo = new Date(cert.valid_to);
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    validFrom: isoOrText(cert.valid_from),
    validTo: isoOrText(cert.valid_to),
    // Rounded down to hundredths: a certificate 59.9999 days from expiry has 59 whole days left, not 60.
    daysToExpiry: Math.floor(((validTo.getTime() - now) / DAY_MS) * 100) / 100,
  };
}

/** The certificates above the leaf, as the server sent them, up to the root when it sent one. */
export function chainFacts(leaf: DetailedPeerCertificate, now = Date.now()): CertificateFacts[] {
  const chain: CertificateFacts[] = [];
  let current = leaf;
  while (chain.length < MAX_CHAIN) {
    const issuer = current.issuerCertificate as DetailedPeerCertificate | undefined;
    // Node points a self-signed certificate's issuer at a copy of itself.
    if (!issuer?.raw || issuer.fingerprint256 === current.fingerprint256) break;
    chain.push(certificateFacts(issuer, now));
    current = issuer;
  }
  return chain;
}

/** "expires in 3 days (2026-11-27)", "expired 3 days ago (2026-11-21)". Whole days, rounded down. */
export function expiryText(facts: CertificateFacts): string {
  const date = facts.validTo.slice(0, 10);
  const days = facts.daysToExpiry;
  if (days >= 1) return `expires in ${plural(Math.floor(days), 'day')} (${date})`;
  if (days >= 0) return `expires within a day (${date})`;
  const ago = Math.floor(-days);
  return ago >= 1 ? `expired ${plural(ago, 'day')} ago (${date})` : `expired less than a day ago (${date})`;
}

/** "CN=epr.example.org, O=Riverside" from Node's parsed subject or issuer. */
export function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

function isoOrText(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
