import { randomUUID } from 'node:crypto';
import { hashSecret, randomSecret } from '../../server/access/secrets.js';
import { SESSION_COOKIE } from '../../server/access/sessions.js';
import type { AccessStore, Role, UserRow } from '../../server/store/access.js';

export interface SignedIn {
  user: UserRow;
  /** The cookie's secret: what the browser holds. */
  secret: string;
  /** `vantage_session=…`, for a request over HTTP. */
  cookie: string;
  /** What a change made with this cookie must send as X-CSRF-Token. */
  csrf: string;
}

/**
 * A person signed in, made straight in the store as a sign-in would make them: a user row and a live
 * session. The cookie is what the browser would then send.
 */
export async function signedIn(
  store: { access: AccessStore },
  role: Role,
  organisations: string[] = [],
  options: { email?: string; now?: number; lastsMs?: number } = {},
): Promise<SignedIn> {
  const now = options.now ?? Date.now();
  const email =
    options.email ?? `${role}-${organisations.join('-') || 'all'}-${randomUUID().slice(0, 8)}@example.nhs.uk`;
  const user = await store.access.putUser({
    id: randomUUID(),
    email,
    name: `A ${role}`,
    role,
    organisations,
    source: 'local',
    passwordHash: null,
    claims: null,
    createdAt: now,
    updatedAt: now,
    lastSignInAt: now,
  });
  const secret = randomSecret();
  const csrf = randomSecret();
  await store.access.addSession({
    idHash: hashSecret(secret),
    userId: user.id,
    csrf,
    address: '127.0.0.1',
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + (options.lastsMs ?? 12 * 3_600_000),
  });
  return { user, secret, cookie: `${SESSION_COOKIE}=${secret}`, csrf };
}
