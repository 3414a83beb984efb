import type { Grant, OidcSettings } from '../../config/schema.js';
import type { Role } from '../../store/access.js';

/** What Vantage reads from an ID token to decide a role: nothing else of it is kept. */
export interface ClaimValues {
  /** The `roles` claim: Entra ID's app roles assigned to the person (directly or through a group). */
  roles: string[];
  /** The `groups` claim: group object ids. */
  groups: string[];
  /**
   * Entra ID leaves `groups` out of the token when the person is in more groups than it lists (200 in a
   * JWT) and points at Microsoft Graph instead (`_claim_names.groups`). Vantage does not call Graph: such a
   * person's groups count as none, and app roles (which have no such limit) are the way to grant them.
   */
  groupsOverage: boolean;
  /** `email`, else `preferred_username`, else `upn`; lower case. */
  email: string | undefined;
}

/** The claims read, in the order they are tried, for pages that say which were read. */
export const CLAIMS_READ = ['roles', 'groups', 'email', 'preferred_username', 'upn'] as const;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** The values of an ID token's claims that decide a role. */
export function readClaims(claims: Record<string, unknown>): ClaimValues {
  const names = claims._claim_names;
  const groupsOverage =
    typeof names === 'object' && names !== null && Object.hasOwn(names as object, 'groups');
  const email = text(claims.email) ?? text(claims.preferred_username) ?? text(claims.upn);
  return {
    roles: strings(claims.roles),
    groups: groupsOverage ? [] : strings(claims.groups),
    groupsOverage,
    email: email?.toLowerCase(),
  };
}

/**
 * The claim values as kept on the user's row (`role:…`, `group:…`, `email:…`), so the role can be
 * decided again from them when the estate's mapping changes, without the person signing in.
 */
export function claimList(values: ClaimValues): string[] {
  return [
    ...values.roles.map((value) => `role:${value}`),
    ...values.groups.map((value) => `group:${value}`),
    ...(values.email ? [`email:${values.email}`] : []),
  ];
}

export function claimsFromList(list: readonly string[]): ClaimValues {
  const values: ClaimValues = { roles: [], groups: [], groupsOverage: false, email: undefined };
  for (const item of list) {
    const at = item.indexOf(':');
    const kind = item.slice(0, at);
    const value = item.slice(at + 1);
    if (kind === 'role') values.roles.push(value);
    else if (kind === 'group') values.groups.push(value);
    else if (kind === 'email') values.email = value;
  }
  return values;
}

export interface Decided {
  role: Role;
  /** For a partner, the union of the organisations of every partner grant that matched; else empty. */
  organisations: string[];
}

const RANK: Record<Role, number> = { viewer: 1, partner: 2, admin: 3 };
const PARTNER_PREFIX = 'Vantage.Partner.';

/**
 * The app-role values Vantage understands when the estate maps none itself: `Vantage.Admin`,
 * `Vantage.Viewer`, `Vantage.Partner.<organisation-id>` (an organisation the estate does not have
 * grants nothing: a role made for an organisation since removed must not open anything).
 */
function conventionalGrant(value: string, organisations: ReadonlySet<string>): Grant | undefined {
  if (value === 'Vantage.Admin') return { role: 'admin' };
  if (value === 'Vantage.Viewer') return { role: 'viewer' };
  if (value.startsWith(PARTNER_PREFIX)) {
    const organisation = value.slice(PARTNER_PREFIX.length);
    return organisations.has(organisation) ? { role: 'partner', organisations: [organisation] } : undefined;
  }
  return undefined;
}

/** A value looked up in a map from the estate: its own keys only (not `constructor` and the like). */
function lookup(map: Record<string, Grant> | undefined, key: string): Grant | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * The role a person's claims grant under the estate's `access.oidc`, or undefined for none. App roles
 * first (through `roles`, or the convention when `roles` is not given); groups only when no app role
 * matched (Entra stops listing groups past 200, so they are the fallback); the email always. Several
 * matches: the highest role wins, and a partner acts for every organisation its matches name.
 */
export function decideGrant(
  values: ClaimValues,
  oidc: OidcSettings | undefined,
  organisations: Iterable<string>,
): Decided | undefined {
  if (!oidc) return undefined;
  const known = new Set(organisations);
  const grants: Grant[] = [];
  for (const value of values.roles) {
    const grant = oidc.roles ? lookup(oidc.roles, value) : conventionalGrant(value, known);
    if (grant) grants.push(grant);
  }
  if (grants.length === 0) {
    for (const group of values.groups) {
      const grant = lookup(oidc.groups, group);
      if (grant) grants.push(grant);
    }
  }
  if (values.email && oidc.emails) {
    // Addresses are matched without regard to case, as mail systems treat them.
    for (const [address, grant] of Object.entries(oidc.emails)) {
      if (address.toLowerCase() === values.email) grants.push(grant);
    }
  }
  // The estate's own grants name organisations it has (the config check says so); kept to those anyway.
  const usable = grants
    .map((grant) => ({
      role: grant.role,
      organisations: (grant.organisations ?? []).filter((o) => known.has(o)),
    }))
    .filter((grant) => grant.role !== 'partner' || grant.organisations.length > 0);
  if (usable.length === 0) return undefined;
  const role = usable.reduce<Role>(
    (best, grant) => (RANK[grant.role] > RANK[best] ? grant.role : best),
    'viewer',
  );
  if (role !== 'partner') return { role, organisations: [] };
  const orgs = new Set(
    usable.filter((grant) => grant.role === 'partner').flatMap((grant) => grant.organisations),
  );
  return { role, organisations: [...orgs].sort() };
}
