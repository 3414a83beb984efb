import type { Request } from 'express';
import type { Role, UserSource } from '../store/access.js';

/** Who is asking: decided once per request, before any route, from its cookie or bearer token. */
export type Principal =
  | { kind: 'anonymous'; sessionEnded?: boolean }
  | {
      kind: 'user';
      userId: string;
      email: string;
      name: string;
      role: Role;
      organisations: string[];
      source: UserSource;
      /** The SHA-256 of the session cookie's secret (the session's key). */
      sessionHash: string;
      /** What a change made with this session's cookie must send back. */
      csrf: string;
    }
  | { kind: 'api-token'; tokenId: string; role: Role; organisations: string[]; label: string | null }
  /** An agent's bearer token: checked by the agents' own routes, refused by every other. */
  | { kind: 'agent' };

const loaders = new WeakMap<Request, () => Promise<Principal>>();
const principals = new WeakMap<Request, Principal>();

/**
 * How to find out who is asking. It is found out only when a route's rule needs it (health checks and
 * the survey form never touch the sessions), and then once.
 */
export function setPrincipalLoader(req: Request, load: () => Promise<Principal>): void {
  loaders.set(req, load);
}

export async function resolvePrincipal(req: Request): Promise<Principal> {
  const known = principals.get(req);
  if (known) return known;
  const principal = (await loaders.get(req)?.()) ?? { kind: 'anonymous' };
  principals.set(req, principal);
  return principal;
}

/** Who is asking, once the route's guard has found out; anonymous before. */
export function principalOf(req: Request): Principal {
  return principals.get(req) ?? { kind: 'anonymous' };
}

/** The role a principal reads and acts with, if any. */
export function roleOf(principal: Principal): Role | undefined {
  return principal.kind === 'user' || principal.kind === 'api-token' ? principal.role : undefined;
}

/** How the audit log names a principal. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return principal.email;
    case 'api-token':
      return `token:${principal.tokenId}`;
    case 'agent':
      return 'agent';
    case 'anonymous':
      return 'anonymous';
  }
}
