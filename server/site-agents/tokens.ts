import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AgentsStore, TokenRow } from '../store/agents.js';

/**
 * Agent tokens look like `vat_<id>_<secret>`: the id is public (listed, revoked by), the secret is
 * 32 random bytes shown once when the token is made. Only a SHA-256 of the secret is stored: with
 * that much randomness a slow password hash adds nothing.
 */
const PATTERN = /^vat_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

/** Makes and keeps a token for an agent at `site`; its text is returned here and never again. */
export async function createAgentToken(
  store: Pick<AgentsStore, 'addToken'>,
  options: { site: string; label: string | null; at: number },
): Promise<{ id: string; token: string }> {
  const id = randomBytes(4).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const { site, label, at } = options;
  await store.addToken({ id, site, secretHash: hashSecret(secret), label, createdAt: at });
  return { id, token: `vat_${id}_${secret}` };
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

/** Whether a presented token is one we issued and still honour; only a well-formed one is looked up. */
export async function checkToken(
  text: string,
  lookup: (id: string) => Promise<TokenRow | undefined>,
): Promise<TokenCheck> {
  const parsed = parseToken(text);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const token = await lookup(parsed.id);
  if (!token) return { ok: false, reason: 'unknown' };
  const presented = Buffer.from(hashSecret(parsed.secret), 'hex');
  const stored = Buffer.from(token.secretHash, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) {
    return { ok: false, reason: 'unknown' };
  }
  return token.revokedAt === null ? { ok: true, token } : { ok: false, reason: 'revoked', token };
}
