import { describe, expect, it } from 'vitest';
import { claimList, claimsFromList, decideGrant, readClaims } from '../../server/access/oidc/grants.js';
import type { OidcSettings } from '../../server/config/schema.js';

const organisations = ['riverside', 'eastfield', 'northgate'];
const base: OidcSettings = {
  issuer: 'https://login.microsoftonline.com/0b1c/v2.0',
  clientId: 'app',
  clientSecret: '${VANTAGE_OIDC_SECRET}',
};

/** An Entra ID v2.0 ID token's claims, as it sends them for a web app with app roles and groups. */
function entraClaims(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    aud: 'app',
    iss: 'https://login.microsoftonline.com/0b1c/v2.0',
    oid: '6f1e1a6e-0000-4000-8000-000000000001',
    tid: '0b1c',
    name: 'Ada Lovelace',
    preferred_username: 'Ada.Lovelace@Riverside.example.org',
    ver: '2.0',
    ...extra,
  };
}

const decide = (claims: Record<string, unknown>, oidc: OidcSettings = base) =>
  decideGrant(readClaims(entraClaims(claims)), oidc, organisations);

describe('claims to a role', () => {
  it('follows the app-role convention when the estate maps no roles', () => {
    expect(decide({ roles: ['Vantage.Admin'] })).toEqual({ role: 'admin', organisations: [] });
    expect(decide({ roles: ['Vantage.Viewer'] })).toEqual({ role: 'viewer', organisations: [] });
    expect(decide({ roles: ['Vantage.Partner.riverside'] })).toEqual({
      role: 'partner',
      organisations: ['riverside'],
    });
  });

  it('grants nothing for a partner role of an organisation the estate does not have', () => {
    expect(decide({ roles: ['Vantage.Partner.gone'] })).toBeUndefined();
    expect(decide({ roles: ['Vantage.Partner.'] })).toBeUndefined();
    expect(decide({ roles: ['vantage.admin', 'Vantage.Administrator'] })).toBeUndefined();
  });

  it('takes the highest role, and a partner acts for every organisation matched', () => {
    expect(
      decide({ roles: ['Vantage.Viewer', 'Vantage.Partner.eastfield', 'Vantage.Partner.riverside'] }),
    ).toEqual({ role: 'partner', organisations: ['eastfield', 'riverside'] });
    expect(decide({ roles: ['Vantage.Partner.riverside', 'Vantage.Admin'] })).toEqual({
      role: 'admin',
      organisations: [],
    });
  });

  it('uses the estate map instead of the convention when it is given', () => {
    const oidc = { ...base, roles: { 'IT.Central': { role: 'admin' as const } } };
    expect(decide({ roles: ['IT.Central'] }, oidc)).toEqual({ role: 'admin', organisations: [] });
    expect(decide({ roles: ['Vantage.Admin'] }, oidc)).toBeUndefined();
  });

  it('reads groups only when no app role matched', () => {
    const oidc: OidcSettings = {
      ...base,
      groups: {
        'a3c1e0d2-1111-4000-8000-000000000001': { role: 'partner', organisations: ['northgate'] },
        'a3c1e0d2-1111-4000-8000-000000000002': { role: 'admin' },
      },
    };
    const groups = ['a3c1e0d2-1111-4000-8000-000000000001', 'a3c1e0d2-1111-4000-8000-000000000002'];
    expect(decide({ groups: [groups[0]] }, oidc)).toEqual({ role: 'partner', organisations: ['northgate'] });
    expect(decide({ roles: ['Vantage.Viewer'], groups }, oidc)).toEqual({
      role: 'viewer',
      organisations: [],
    });
    expect(decide({ roles: ['Unmapped.Role'], groups }, oidc)).toEqual({ role: 'admin', organisations: [] });
  });

  it('treats a groups overage (more than 200 groups, sent as _claim_names) as no groups', () => {
    const oidc: OidcSettings = {
      ...base,
      groups: { 'a3c1e0d2-1111-4000-8000-000000000002': { role: 'admin' } },
    };
    const overage = {
      groups: ['a3c1e0d2-1111-4000-8000-000000000002'],
      _claim_names: { groups: 'src1' },
      _claim_sources: { src1: { endpoint: 'https://graph.microsoft.com/v1.0/users/x/getMemberObjects' } },
    };
    const values = readClaims(entraClaims(overage));
    expect(values.groupsOverage).toBe(true);
    expect(values.groups).toEqual([]);
    expect(decideGrant(values, oidc, organisations)).toBeUndefined();
  });

  it('maps an email, from email, else preferred_username, else upn, without regard to case', () => {
    const oidc: OidcSettings = {
      ...base,
      emails: { 'ada.lovelace@riverside.example.org': { role: 'partner', organisations: ['riverside'] } },
    };
    expect(decide({}, oidc)).toEqual({ role: 'partner', organisations: ['riverside'] });
    expect(decide({ email: 'someone.else@riverside.example.org' }, oidc)).toBeUndefined();
    const upnOnly = { upn: 'ADA.LOVELACE@riverside.example.org', preferred_username: undefined };
    expect(decide(upnOnly, oidc)).toEqual({ role: 'partner', organisations: ['riverside'] });
    // The email adds to the app roles: the partner's organisations are the union.
    expect(decide({ roles: ['Vantage.Partner.eastfield'] }, oidc)).toEqual({
      role: 'partner',
      organisations: ['eastfield', 'riverside'],
    });
  });

  it('grants nothing without access.oidc, and ignores keys every object inherits', () => {
    expect(decideGrant(readClaims(entraClaims({ roles: ['Vantage.Admin'] })), undefined, organisations)).toBe(
      undefined,
    );
    const oidc = { ...base, roles: { 'IT.Central': { role: 'admin' as const } } };
    expect(decide({ roles: ['constructor', 'toString', '__proto__'] }, oidc)).toBeUndefined();
    expect(decide({ roles: 'Vantage.Admin' })).toBeUndefined();
  });

  it('keeps the claim values so the same decision can be made again later', () => {
    const values = readClaims(
      entraClaims({ roles: ['Vantage.Partner.riverside'], groups: ['g-1', 'g-2'], email: 'A@B.example' }),
    );
    const list = claimList(values);
    expect(list).toEqual(['role:Vantage.Partner.riverside', 'group:g-1', 'group:g-2', 'email:a@b.example']);
    expect(claimsFromList(list)).toEqual({ ...values, groupsOverage: false });
  });
});
