import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Clock } from '../../../common/clock.js';
import type { Estate } from '../../config/schema.js';
import type { AccessStore, UserRow } from '../../store/access.js';
import { audit } from '../audit.js';
import { endSession, sessionTimes, startSession } from '../sessions.js';
import { claimList, decideGrant, readClaims } from './grants.js';
import { localAccountExists, noEmail, noRole } from './pages.js';

export interface FinishDeps {
  store: AccessStore;
  clock: Clock;
}

/**
 * The provider has vouched for the person (state, nonce, PKCE and the ID token checked): decide their
 * role from its claims; with one, keep them as a user and start a session; without, refuse and keep
 * nothing but the audit entry.
 */
export async function finishSignIn(
  deps: FinishDeps,
  req: Request,
  res: Response,
  context: { estate: Estate; claims: Record<string, unknown>; next: string; label: string },
): Promise<void> {
  const { store, clock } = deps;
  const { estate, label } = context;
  const values = readClaims(context.claims);
  const decided = decideGrant(
    values,
    estate.access.oidc,
    estate.organisations.map((o) => o.id),
  );
  const refused = (reason: string) =>
    audit(store, clock, req, {
      action: 'sign-in-refused',
      actor: values.email ?? 'anonymous',
      detail: { method: 'oidc', reason },
    });
  if (!values.email) {
    await refused('no email claim');
    return noEmail(res, label);
  }
  if (!decided) {
    await refused('no role');
    return noRole(res, { label, email: values.email, groupsOverage: values.groupsOverage });
  }
  const existing = await store.userByEmail(values.email);
  if (existing && existing.source !== 'oidc') {
    await refused(`a ${existing.source} account has this email`);
    return localAccountExists(res, values.email, label);
  }
  const now = clock.now();
  if (
    existing &&
    (existing.role !== decided.role || existing.organisations.join() !== decided.organisations.join())
  ) {
    // A changed role ends the sessions made with the old one, as a change by the estate file does.
    await store.changeRole(existing.id, decided.role, decided.organisations, now);
    await audit(store, clock, req, {
      action: 'role-changed',
      actor: 'identity-provider',
      subject: values.email,
      detail: {
        from: { role: existing.role, organisations: existing.organisations },
        to: decided,
      },
    });
  }
  const name =
    typeof context.claims.name === 'string' && context.claims.name.trim() !== ''
      ? context.claims.name.trim()
      : values.email;
  const row: UserRow = {
    id: existing?.id ?? randomBytes(8).toString('hex'),
    email: values.email,
    name,
    role: decided.role,
    organisations: decided.organisations,
    source: 'oidc',
    passwordHash: null,
    claims: claimList(values),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    lastSignInAt: existing?.lastSignInAt ?? null,
  };
  const user = await store.putUser(row);
  // A session this browser already had (another account's, perhaps) ends: one browser, one person.
  await endSession(store, req, res);
  await startSession(store, req, res, user, sessionTimes(estate.access), now);
  await audit(store, clock, req, {
    action: 'sign-in',
    actor: user.email,
    subject: user.email,
    detail: { method: 'oidc', role: user.role, organisations: user.organisations },
  });
  res.set('Cache-Control', 'no-store').redirect(303, context.next);
}
