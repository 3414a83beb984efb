import { createHmac } from 'node:crypto';
import { sameSecret } from '../access/secrets.js';

/** How long an acknowledgement link in a message works: long enough for a weekend, short enough to age out. */
export const ACK_LINK_MS = 72 * 3_600_000;

/**
 * Signed links that acknowledge an incident without signing in: whoever received the message may act on
 * it. The token is `EXPIRES.MAC`, the MAC an HMAC-SHA256 of the incident's id and the expiry under the
 * server's key, so it names one incident, cannot be moved to another or lengthened, and ages out.
 */
export function ackToken(key: Buffer, incidentId: string, expiresAt: number): string {
  return `${expiresAt}.${mac(key, incidentId, expiresAt)}`;
}

export type TokenCheck = { ok: true } | { ok: false; reason: 'invalid' | 'expired' };

export function checkAckToken(key: Buffer, incidentId: string, token: unknown, now: number): TokenCheck {
  if (typeof token !== 'string') return { ok: false, reason: 'invalid' };
  const match = /^(\d{13,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const expiresAt = Number(match[1]);
  if (!sameSecret(match[2] as string, mac(key, incidentId, expiresAt)))
    return { ok: false, reason: 'invalid' };
  // Checked after the MAC, so a forged expiry is told apart from an honest old link.
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true };
}

function mac(key: Buffer, incidentId: string, expiresAt: number): string {
  return createHmac('sha256', key)
    .update(`vantage-ack\u0000${incidentId}\u0000${expiresAt}`)
    .digest('base64url');
}
