import { Router } from 'express';
import { type Principal, principalOf } from '../../access/principal.js';
import { actOn, allow, decide, read, type Subject } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import type { EstateStore } from '../../store/estate.js';
import { ApiError } from '../errors.js';
import type { MeResponse } from '../types.js';

/** `GET /me`: who is asking, and what they may act on, so the dashboard shows only what they can do. */
export function meRoutes(store: EstateStore, estate: () => Estate | undefined): Router {
  const router = Router();
  router.get('/me', allow(read), async (req, res) => {
    const principal = principalOf(req);
    if (principal.kind !== 'user' && principal.kind !== 'api-token')
      throw new ApiError('unauthorised', 'sign in first, or send an API token as Authorization: Bearer …');
    // The estate as configured, in memory (as the rules read it); the stored one only when there is none.
    const stored = estate() ?? (await store.readEstate());
    // Judged by the rules themselves, subject by subject: what the dashboard offers is what the server allows.
    const may = (subject: Subject) =>
      decide(
        actOn('acting', () => subject),
        principal,
        { estate },
        req,
      ).ok;
    const names = new Map(stored.organisations.map((o) => [o.id, o.name]));
    const answer: MeResponse = {
      ...who(principal),
      organisationNames: principal.organisations.map((id) => names.get(id) ?? id),
      can: {
        admin: principal.role === 'admin',
        actOn: {
          systems: stored.systems.filter((s) => may({ kind: 'system', id: s.id })).map((s) => s.id),
          sites: stored.sites.filter((s) => may({ kind: 'site', id: s.id })).map((s) => s.id),
        },
      },
    };
    res.set('Cache-Control', 'no-store').json(answer);
  });
  return router;
}

function who(
  principal: Extract<Principal, { kind: 'user' | 'api-token' }>,
): Omit<MeResponse, 'can' | 'organisationNames'> {
  if (principal.kind === 'api-token')
    return {
      kind: 'api-token',
      ...(principal.label !== null ? { name: principal.label } : {}),
      role: principal.role,
      organisations: principal.organisations,
    };
  return {
    kind: 'user',
    name: principal.name,
    email: principal.email,
    role: principal.role,
    organisations: principal.organisations,
    source: principal.source,
    csrf: principal.csrf,
  };
}
