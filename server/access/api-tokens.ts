import { randomBytes } from 'node:crypto';
import type { AccessStore, ApiTokenRow, Role } from '../store/access.js';
import { hashSecret, randomSecret, sameSecret } from './secrets.js';

/**
 * API tokens look like `vap_<id>_<secret>` (agent tokens are `vat_…`): the id is public (listed,
 * revoked by), the secret is shown once when the token is made and only its SHA-256 is kept.
 */
const PATTERN = /^vap_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function isApiToken(text: string): boolean {
  return text.startsWith('vap_');
}

export async function createApiToken(
  store: Pick<AccessStore, 'addApiToken'>,
  options: { role: Role; organisations: string[]; label: string | null; createdBy: string; at: number },
): Promise<{ id: string; token: string }> {
  const id = randomBytes(4).toString('hex');
  const secret = randomSecret();
  await store.addApiToken({
    id,
    role: options.role,
    organisations: options.organisations,
    label: options.label,
    secretHash: hashSecret(secret),
    createdBy: options.createdBy,
    createdAt: options.at,
  });
  return { id, token: `vap_${id}_${secret}` };
}

export type ApiTokenCheck =
  | { ok: true; token: ApiTokenRow }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' };

/** Whether a presented API token is one we issued and still honour. */
export async function checkApiToken(
  text: string,
  lookup: (id: string) => Promise<ApiTokenRow | undefined>,
): Promise<ApiTokenCheck> {
  const match = PATTERN.exec(text.trim());
  if (!match?.[1] || !match[2]) return { ok: false, reason: 'malformed' };
  const token = await lookup(match[1]);
  if (!token || !sameSecret(hashSecret(match[2]), token.secretHash)) return { ok: false, reason: 'unknown' };
  return token.revokedAt === null ? { ok: true, token } : { ok: false, reason: 'revoked' };
}
