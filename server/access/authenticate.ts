import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../../common/clock.js';
import { ApiError } from '../api/errors.js';
import type { Access } from '../config/schema.js';
import type { AccessStore } from '../store/access.js';
import { checkApiToken, isApiToken } from './api-tokens.js';
import { type Principal, setPrincipalLoader } from './principal.js';
import { readSession, sessionTimes } from './sessions.js';

export interface AuthenticateDeps {
  store: AccessStore;
  clock: Clock;
  access: () => Access | undefined;
}

/**
 * Decides who is asking, once per request: an API token (`Authorization: Bearer vap_…`), an agent
 * token (`vat_…`, checked by the agents' routes), a session cookie, or nobody. A token that is not
 * honoured is refused here, whatever the route: a script with a revoked token should hear so.
 */
export function authenticate(deps: AuthenticateDeps) {
  return (req: Request, _res: Response, next: NextFunction) => {
    setPrincipalLoader(req, () => identify(deps, req));
    next();
  };
}

async function identify(deps: AuthenticateDeps, req: Request): Promise<Principal> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer && isApiToken(bearer)) {
    const checked = await checkApiToken(bearer, (id) => deps.store.apiToken(id));
    if (!checked.ok) {
      throw new ApiError(
        'unauthorised',
        checked.reason === 'revoked'
          ? 'this API token has been revoked'
          : 'this API token is not one Vantage issued',
      );
    }
    const { token } = checked;
    const now = deps.clock.now();
    // Last use to the minute: enough to see a token is idle, without a write per request.
    if (token.lastUsedAt === null || now - token.lastUsedAt >= 60_000)
      await deps.store.apiTokenUsed(token.id, now);
    return {
      kind: 'api-token',
      tokenId: token.id,
      role: token.role,
      organisations: token.organisations,
      label: token.label,
    };
  }
  if (bearer) return { kind: 'agent' };
  const found = await readSession(deps.store, req, sessionTimes(deps.access()), deps.clock.now());
  if (found.state === 'live') {
    const { user, session } = found;
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organisations: user.organisations,
      source: user.source,
      sessionHash: session.idHash,
      csrf: session.csrf,
    };
  }
  return { kind: 'anonymous', sessionEnded: found.state === 'ended' };
}
