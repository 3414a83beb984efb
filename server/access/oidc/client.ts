import type * as Oidc from 'openid-client';
import { type Env, resolveEnv } from '../../../common/env-references.js';
import type { OidcSettings } from '../../config/schema.js';

export type OpenidClient = typeof Oidc;

/**
 * openid-client, loaded when a sign-in first needs it: its 8 MB are never paid by a server whose
 * estate has no `access.oidc` (Node keeps the module once loaded).
 */
export function openidClient(): Promise<OpenidClient> {
  return import('openid-client');
}

/** How long the provider may take to answer one request before the person is told it cannot be reached. */
const TIMEOUT_SECONDS = 10;

/**
 * The provider's configuration, discovered on first use and kept per issuer and client: discovery is
 * a round trip to the provider that every sign-in would otherwise wait for. A changed `access.oidc`
 * (a reload) is a new key, so it is discovered afresh. A failed discovery is not kept: the next
 * sign-in tries again.
 */
export class OidcClients {
  readonly #env: Env;
  readonly #known = new Map<string, Promise<Oidc.Configuration>>();

  constructor(env: Env) {
    this.#env = env;
  }

  configuration(settings: OidcSettings): Promise<Oidc.Configuration> {
    // The secret's reference, not its value, is in the key: the key is never a secret.
    const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
    const known = this.#known.get(key);
    if (known) return known;
    const found = this.#discover(settings);
    // One discovery per issuer and client, even for sign-ins that start at the same moment.
    this.#known.clear();
    this.#known.set(key, found);
    found.catch(() => {
      if (this.#known.get(key) === found) this.#known.delete(key);
    });
    return found;
  }

  async #discover(settings: OidcSettings): Promise<Oidc.Configuration> {
    const oidc = await openidClient();
    const secret = resolveEnv(settings.clientSecret, this.#env);
    const issuer = new URL(settings.issuer);
    return oidc.discovery(issuer, settings.clientId, secret, oidc.ClientSecretPost(secret), {
      timeout: TIMEOUT_SECONDS,
      // openid-client speaks only HTTPS to a provider, rightly: tokens and the client secret cross
      // that connection. A provider on this machine's loopback (a test's, or one beside Vantage) has no
      // network in between, so plain HTTP is allowed for it and for nothing else.
      ...(isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  }
}

function isLoopback(url: URL): boolean {
  return (
    url.protocol === 'http:' &&
    (url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname))
  );
}

/** Why a sign-in could not go on, in terms of what the person (and the log) should hear. */
export type Failure =
  | { kind: 'unreachable'; detail: string }
  | { kind: 'provider-error'; detail: string }
  | { kind: 'mismatch'; detail: string }
  | { kind: 'refused-by-provider'; detail: string };

/** Sorts an error from openid-client (or the network under it) into what went wrong. */
export function failureOf(error: unknown, step: 'discovery' | 'callback', oidc: OpenidClient): Failure {
  const failure = sortFailure(error, oidc);
  // Discovery compares only the issuer it was given with the one the provider states: a mismatch there
  // is a wrong issuer in the estate file (Entra's `common`, say), not a forged answer.
  return step === 'discovery' && failure.kind === 'mismatch'
    ? { kind: 'provider-error', detail: failure.detail }
    : failure;
}

function sortFailure(error: unknown, oidc: OpenidClient): Failure {
  const err = error as { name?: string; message?: string; code?: string; cause?: unknown; error?: string };
  const detail = String(err?.message ?? error);
  if (error instanceof oidc.AuthorizationResponseError) {
    const description = (error as { error_description?: string }).error_description;
    return {
      kind: 'refused-by-provider',
      detail: description ? `${err.error}: ${description}` : String(err.error),
    };
  }
  if (error instanceof oidc.ResponseBodyError) {
    // The provider's own words (`invalid_client: …`): what the central team needs to put it right.
    const description = (error as { error_description?: string }).error_description;
    return { kind: 'provider-error', detail: `${err.error}${description ? `: ${description}` : ''}` };
  }
  if (error instanceof oidc.ClientError) {
    const code = err.code ?? '';
    if (
      code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' ||
      code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' ||
      code === 'OAUTH_INVALID_RESPONSE'
    )
      return { kind: 'mismatch', detail };
    return { kind: 'provider-error', detail };
  }
  // fetch() fails with a TypeError naming the cause (refused, no such host); a timeout aborts it.
  const cause = err?.cause as { code?: string; message?: string } | undefined;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError')
    return { kind: 'unreachable', detail: `no answer within ${TIMEOUT_SECONDS} s` };
  if (error instanceof TypeError && cause)
    return { kind: 'unreachable', detail: cause.code ?? cause.message ?? detail };
  return { kind: 'provider-error', detail };
}
