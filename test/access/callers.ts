import type request from 'supertest';
import type { AccessStore } from '../../server/store/access.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { type SignedIn, signedIn } from '../helpers/sessions.js';

/**
 * Every kind of caller, in the small estate: riverside hosts st-annes and owns epr (and its check
 * epr-login); eastfield hosts marsh-lane.
 */
export const principals = [
  'anonymous',
  /** Anonymous, with `access.public: [metrics, surveys]` in the estate. */
  'public',
  'viewer',
  /** A partner of riverside, which answers for epr and st-annes. */
  'partner-own',
  /** A partner of eastfield, which answers for neither. */
  'partner-other',
  'admin',
  /** An API token with the viewer role. */
  'api-token',
  /** The agent token of st-annes. */
  'agent',
] as const;
export type Principal = (typeof principals)[number];

/** `ok`: let in (any answer but 401, 403 or a redirect to sign in, and never a 5xx). */
export type Outcome = 'ok' | 401 | 403 | 'sign-in';
export type Outcomes = Record<Principal, Outcome>;

export const ANYONE: Outcomes = {
  anonymous: 'ok',
  public: 'ok',
  viewer: 'ok',
  'partner-own': 'ok',
  'partner-other': 'ok',
  admin: 'ok',
  'api-token': 'ok',
  agent: 'ok',
};
export const READ: Outcomes = { ...ANYONE, anonymous: 401, public: 401, agent: 403 };
export const PUBLIC: Outcomes = { ...READ, public: 'ok' };
export const PAGE: Outcomes = { ...READ, anonymous: 'sign-in', public: 'sign-in' };
export const PUBLIC_PAGE: Outcomes = { ...PAGE, public: 'ok' };
export const AGENT: Outcomes = {
  anonymous: 401,
  public: 401,
  viewer: 401,
  'partner-own': 401,
  'partner-other': 401,
  admin: 401,
  'api-token': 401,
  agent: 'ok',
};
/** Acting on something riverside answers for (a note on epr or st-annes): its partners and admins. */
export const ACT: Outcomes = { ...READ, viewer: 403, 'partner-other': 403, 'api-token': 403 };
/** Users, tokens, the audit log: admins only. */
export const ADMIN: Outcomes = { ...ACT, 'partner-own': 403 };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Callers {
  sessions: Record<'viewer' | 'partner-own' | 'partner-other' | 'admin', SignedIn>;
  apiToken: string;
  /** The headers that make a request come from this principal (a change with a cookie carries its CSRF value). */
  credentials(principal: Principal, method: string): Record<string, string>;
}

/** A user and a live session for each signed-in kind of caller, and a viewer's API token, in the store. */
export async function makeCallers(
  store: { access: AccessStore },
  agentToken: string,
  now: number,
): Promise<Callers> {
  const at = { now };
  const sessions: Callers['sessions'] = {
    viewer: await signedIn(store, 'viewer', [], at),
    'partner-own': await signedIn(store, 'partner', ['riverside'], at),
    'partner-other': await signedIn(store, 'partner', ['eastfield'], at),
    admin: await signedIn(store, 'admin', [], at),
  };
  const apiToken = await apiTokenFor(store, 'viewer');
  return {
    sessions,
    apiToken,
    credentials(principal, method): Record<string, string> {
      switch (principal) {
        case 'anonymous':
        case 'public':
          return {};
        case 'api-token':
          return { Authorization: `Bearer ${apiToken}` };
        case 'agent':
          return { Authorization: `Bearer ${agentToken}` };
        default: {
          const session = sessions[principal];
          return SAFE.has(method)
            ? { Cookie: session.cookie }
            : { Cookie: session.cookie, 'X-CSRF-Token': session.csrf };
        }
      }
    },
  };
}

/** What an answer says of the caller's access; a 5xx is shown as its status, so a table's diff says so. */
export function outcomeOf(answer: request.Response): Outcome | `${number}` {
  if (answer.status === 401 || answer.status === 403) return answer.status;
  if (answer.status === 303 && String(answer.headers.location).startsWith('/sign-in?next=')) return 'sign-in';
  if (answer.status >= 500) return `${answer.status}`;
  return 'ok';
}
