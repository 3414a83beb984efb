import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenRow } from '../db/repos/agents.js';

/**
 * Agent tokens look like `vat_<id>_<secret>`: the id is public (listed, revoked by), the secret is
 * 32 random bytes shown once when the token is made. Only a SHA-256 of the secret is stored: with
 * that much randomness a slow password hash adds nothing.
 */
const PATTERN = /^vat_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function issueToken(): { id: string; token: string; secretHash: string } {
  const id = randomBytes(4).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `vat_${id}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseToken(text: string): { id: string; secret: string } | undefined {
  const match = PATTERN.exec(text.trim());
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : undefined;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type TokenCheck =
  | { ok: true; token: TokenRow }
  | { ok: false; reason: 'malformed' | 'unknown' }
  | { ok: false; reason: 'revoked'; token: TokenRow };

/** Whether a presented token is one we issued and still honour. */
export function checkToken(text: string, lookup: (id: string) => TokenRow | undefined): TokenCheck {
  const parsed = parseToken(text);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const token = lookup(parsed.id);
  if (!token) return { ok: false, reason: 'unknown' };
  const presented = Buffer.from(hashSecret(parsed.secret), 'hex');
  const stored = Buffer.from(token.secretHash, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) {
    return { ok: false, reason: 'unknown' };
  }
  return token.revokedAt === null ? { ok: true, token } : { ok: false, reason: 'revoked', token };
}
