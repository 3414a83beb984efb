import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../server/access/principal.js';
import {
  actOn,
  adminOnly,
  agentOnly,
  anyone,
  decide,
  publicPart,
  type Rule,
  read,
} from '../../server/access/rules.js';
import type { Estate } from '../../server/config/schema.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const estate = estateFrom(smallEstateYaml);
const owner = estate.systems[0]?.owner as string;
const system = estate.systems[0]?.id as string;
const other = estate.organisations.find((org) => org.id !== owner)?.id as string;
const withPublic = (parts: ('metrics' | 'surveys')[]): Estate => ({ ...estate, access: { public: parts } });

const user = (role: 'admin' | 'partner' | 'viewer', organisations: string[] = []): Principal => ({
  kind: 'user',
  userId: 'u1',
  email: 'someone@nhs.net',
  name: 'Someone',
  role,
  organisations,
  source: 'local',
  sessionHash: 'h',
  csrf: 'c',
});
const principals: Record<string, Principal> = {
  anonymous: { kind: 'anonymous' },
  viewer: user('viewer'),
  'partner of the owner': user('partner', [owner]),
  'partner of another': user('partner', [other]),
  admin: user('admin'),
  'API token (viewer)': { kind: 'api-token', tokenId: 't', role: 'viewer', organisations: [], label: null },
  'agent token': { kind: 'agent' },
};

const noting = actOn('adding a note', () => ({ kind: 'system', id: system }));
const req = {} as Request;
const outcome = (rule: Rule, principal: Principal, on: Estate = estate) => {
  const decision = decide(rule, principal, { estate: () => on }, req);
  return decision.ok ? 'ok' : decision.status;
};

describe('who may use a route', () => {
  const table: [string, Rule, Record<string, 'ok' | 401 | 403>][] = [
    [
      'anyone',
      anyone,
      {
        anonymous: 'ok',
        viewer: 'ok',
        'partner of the owner': 'ok',
        'partner of another': 'ok',
        admin: 'ok',
        'API token (viewer)': 'ok',
        'agent token': 'ok',
      },
    ],
    [
      'read',
      read,
      {
        anonymous: 401,
        viewer: 'ok',
        'partner of the owner': 'ok',
        'partner of another': 'ok',
        admin: 'ok',
        'API token (viewer)': 'ok',
        'agent token': 403,
      },
    ],
    [
      'public metrics, not listed',
      publicPart('metrics'),
      {
        anonymous: 401,
        viewer: 'ok',
        'partner of the owner': 'ok',
        'partner of another': 'ok',
        admin: 'ok',
        'API token (viewer)': 'ok',
        'agent token': 403,
      },
    ],
    [
      'act on a system',
      noting,
      {
        anonymous: 401,
        viewer: 403,
        'partner of the owner': 'ok',
        'partner of another': 403,
        admin: 'ok',
        'API token (viewer)': 403,
        'agent token': 403,
      },
    ],
    [
      'admin',
      adminOnly('managing users'),
      {
        anonymous: 401,
        viewer: 403,
        'partner of the owner': 403,
        'partner of another': 403,
        admin: 'ok',
        'API token (viewer)': 403,
        'agent token': 403,
      },
    ],
    [
      'agent',
      agentOnly,
      {
        anonymous: 401,
        viewer: 401,
        'partner of the owner': 401,
        'partner of another': 401,
        admin: 401,
        'API token (viewer)': 401,
        'agent token': 'ok',
      },
    ],
  ];
  for (const [name, rule, expected] of table) {
    it(`decides ${name} for each kind of principal`, () => {
      const got = Object.fromEntries(Object.entries(principals).map(([who, p]) => [who, outcome(rule, p)]));
      expect(got).toEqual(expected);
    });
  }

  it('opens a part to anyone only when access.public lists it', () => {
    expect(outcome(publicPart('metrics'), principals.anonymous as Principal, withPublic(['metrics']))).toBe(
      'ok',
    );
    expect(outcome(publicPart('surveys'), principals.anonymous as Principal, withPublic(['metrics']))).toBe(
      401,
    );
    expect(
      outcome({ kind: 'page', part: 'surveys' }, principals.anonymous as Principal, withPublic(['surveys'])),
    ).toBe('ok');
    expect(
      outcome({ kind: 'page' }, principals.anonymous as Principal, withPublic(['surveys', 'metrics'])),
    ).toBe(401);
  });

  it('names what is missing when it refuses', () => {
    const refused = decide(
      noting,
      principals['partner of another'] as Principal,
      { estate: () => estate },
      req,
    );
    expect(refused).toMatchObject({
      ok: false,
      status: 403,
      details: { needs: `partner of ${owner}`, have: 'partner' },
    });
    if (!refused.ok) expect(refused.message).toContain(`needs a partner of ${owner} (the system's owner)`);
    const viewer = decide(
      adminOnly('managing users'),
      principals.viewer as Principal,
      { estate: () => estate },
      req,
    );
    expect(viewer).toMatchObject({
      ok: false,
      status: 403,
      message: 'managing users needs the admin role',
      details: { needs: 'admin', have: 'viewer' },
    });
  });

  it('lets no partner act on anything when there is no estate to say who is responsible', () => {
    const decision = decide(
      noting,
      principals['partner of the owner'] as Principal,
      { estate: () => undefined },
      req,
    );
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(decide(noting, principals.admin as Principal, { estate: () => undefined }, req)).toEqual({
      ok: true,
    });
  });

  it('acts for the host of a site on the site', () => {
    const site = estate.sites[0] as { id: string; host: string };
    const onSite = actOn('adding a note', () => ({ kind: 'site', id: site.id }));
    expect(outcome(onSite, user('partner', [site.host]))).toBe('ok');
    const stranger = estate.organisations.find((org) => org.id !== site.host)?.id as string;
    expect(outcome(onSite, user('partner', [stranger]))).toBe(403);
  });
});
