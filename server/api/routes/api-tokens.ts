import { Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import { createApiToken } from '../../access/api-tokens.js';
import { audit } from '../../access/audit.js';
import { actorOf, principalOf } from '../../access/principal.js';
import { adminOnly, allow } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import type { AccessStore } from '../../store/access.js';
import { apiTokenView } from '../access-views.js';
import { jsonBody } from '../body.js';
import { ApiError, parseInput } from '../errors.js';
import { apiTokenInput } from '../grant-input.js';
import type { ApiTokenCreated, ApiTokensResponse, ApiTokenView } from '../types.js';

const TOKEN_BODY = { bytes: 8 * 1024, depth: 3 };

/** API tokens for scripts, for admins: made (the text shown once), listed and revoked. */
export function apiTokenRoutes(store: AccessStore, clock: Clock, estate: () => Estate | undefined): Router {
  const router = Router();

  router.get('/api-tokens', allow(adminOnly('listing API tokens')), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      items: (await store.apiTokens()).map(apiTokenView),
    } satisfies ApiTokensResponse);
  });

  router.post(
    '/api-tokens',
    allow(adminOnly('making an API token')),
    jsonBody(TOKEN_BODY),
    async (req, res) => {
      const organisations = (estate()?.organisations ?? []).map((o) => o.id);
      const input = parseInput(apiTokenInput(organisations), req.body, 'body');
      const now = clock.now();
      const made = await createApiToken(store, {
        role: input.role,
        organisations: input.organisations ?? [],
        label: input.label ?? null,
        createdBy: actorOf(principalOf(req)),
        at: now,
      });
      const row = await store.apiToken(made.id);
      if (!row) throw new Error(`the API token ${made.id} was not stored`);
      await audit(store, clock, req, {
        action: 'api-token-created',
        subject: `api-token:${made.id}`,
        detail: { role: row.role, organisations: row.organisations, label: row.label },
      });
      // The only time the token's text leaves the server: only its hash is kept.
      res
        .status(201)
        .set('Cache-Control', 'no-store')
        .json({ ...apiTokenView(row), token: made.token } satisfies ApiTokenCreated);
    },
  );

  router.delete('/api-tokens/:id', allow(adminOnly('revoking an API token')), async (req, res) => {
    const token = await store.apiToken(req.params.id);
    if (!token) throw new ApiError('not_found', `no API token with id '${req.params.id}'`);
    if (token.revokedAt !== null)
      throw new ApiError(
        'conflict',
        `the API token '${token.id}' was revoked already, at ${new Date(token.revokedAt).toISOString()}`,
      );
    await store.revokeApiToken(token.id, clock.now());
    await audit(store, clock, req, {
      action: 'api-token-revoked',
      subject: `api-token:${token.id}`,
      detail: { role: token.role, organisations: token.organisations, label: token.label },
    });
    const revoked = await store.apiToken(token.id);
    res.json(apiTokenView(revoked ?? token) satisfies ApiTokenView);
  });

  return router;
}
