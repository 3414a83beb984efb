import { type Request, type Response, Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import type { Env } from '../../../common/env-references.js';
import type { Logger } from '../../../common/logger.js';
import type { Estate, OidcSettings } from '../../config/schema.js';
import type { AccessStore } from '../../store/access.js';
import { audit } from '../audit.js';
import { allow, anyone } from '../rules.js';
import { failureOf, OidcClients, type OpenidClient, openidClient } from './client.js';
import { finishSignIn } from './finish.js';
import * as pages from './pages.js';
import { PENDING_MS, PendingSignIns, safeNext } from './pending.js';

export interface OidcRouteDeps {
  store: AccessStore;
  clock: Clock;
  logger: Logger;
  /** Where the client secret's `${NAME}` is read. */
  env: Env;
  estate: () => Estate | undefined;
}

/** What the person is told the sign-in service is called. */
function labelOf(settings: OidcSettings): string {
  return settings.label ?? `the identity provider at ${new URL(settings.issuer).host}`;
}

/**
 * Sign-in through the organisation's OpenID provider (Entra ID first): `GET /auth/oidc` sends the
 * person there with a fresh state, nonce and PKCE verifier; `GET /auth/callback` takes them back,
 * has openid-client check all three and the ID token, and decides their role from its claims.
 */
export function oidcRoutes(deps: OidcRouteDeps): Router {
  const router = Router();
  const clients = new OidcClients(deps.env);
  const pending = new PendingSignIns();

  const configuration = async (settings: OidcSettings, res: Response, next: string) => {
    try {
      return await clients.configuration(settings);
    } catch (error) {
      explain(error, settings, res, next, 'discovery', await openidClient());
      return undefined;
    }
  };

  const explain = (
    error: unknown,
    settings: OidcSettings,
    res: Response,
    next: string,
    step: 'discovery' | 'callback',
    oidc: OpenidClient,
  ) => {
    const failure = failureOf(error, step, oidc);
    deps.logger.warn(`OpenID sign-in failed at ${step}: ${failure.kind}`, {
      issuer: settings.issuer,
      detail: failure.detail,
    });
    const label = labelOf(settings);
    if (failure.kind === 'unreachable') return pages.unreachable(res, label, next);
    if (failure.kind === 'mismatch') return pages.mismatch(res, next);
    if (failure.kind === 'refused-by-provider') return pages.refusedByProvider(res, failure.detail, next);
    return pages.providerFailed(res, label, next);
  };

  router.get('/auth/oidc', allow(anyone), async (req: Request, res: Response) => {
    const settings = deps.estate()?.access.oidc;
    if (!settings) return pages.notConfigured(res);
    const next = safeNext(req.query.next);
    const config = await configuration(settings, res, next);
    if (!config) return;
    const redirectUri = settings.redirectUri ?? `${req.protocol}://${req.get('host')}/auth/callback`;
    const oidc = await openidClient();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const now = deps.clock.now();
    pending.begin(
      req,
      res,
      { state, nonce, codeVerifier, redirectUri, next, expiresAt: now + PENDING_MS },
      now,
    );
    res.set('Cache-Control', 'no-store').redirect(302, url.href);
  });

  router.get('/auth/callback', allow(anyone), async (req: Request, res: Response) => {
    const estate = deps.estate();
    const settings = estate?.access.oidc;
    if (!estate || !settings) return pages.notConfigured(res);
    const started = pending.take(req, res, deps.clock.now());
    if (!started) return pages.notPending(res);
    const config = await configuration(settings, res, started.next);
    if (!config) return;
    // openid-client reads the response from the address the provider sent the person back to, and
    // sends that address (without its query) with the code: it must be the one the sign-in started with.
    const current = new URL(started.redirectUri);
    current.search = new URL(req.originalUrl, current).search;
    let claims: Record<string, unknown>;
    const oidc = await openidClient();
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: started.codeVerifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
    } catch (error) {
      await audit(deps.store, deps.clock, req, {
        action: 'sign-in-failed',
        detail: { method: 'oidc', reason: failureOf(error, 'callback', oidc).kind },
      });
      return explain(error, settings, res, started.next, 'callback', oidc);
    }
    await finishSignIn(deps, req, res, { estate, claims, next: started.next, label: labelOf(settings) });
  });

  return router;
}
