import { randomUUID } from 'node:crypto';
import type { AccessStore, Role } from '../../server/store/access.js';
import { signedIn as personSignedIn, type SignedIn } from './signed-in.js';

export type { SignedIn } from './signed-in.js';

/**
 * Someone of a role signed in, when who they are matters less than what they may do: a made-up
 * address, made straight in the store as signing in would (see signed-in.ts).
 */
export async function signedIn(
  store: { access: AccessStore },
  role: Role,
  organisations: string[] = [],
  options: { email?: string; now?: number; lastsMs?: number } = {},
): Promise<SignedIn> {
  const email =
    options.email ?? `${role}-${organisations.join('-') || 'all'}-${randomUUID().slice(0, 8)}@example.nhs.uk`;
  return personSignedIn(
    store,
    { email, name: `A ${role}`, role, organisations },
    options.now,
    options.lastsMs,
  );
}
