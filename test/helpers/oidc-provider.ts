import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Provider from 'oidc-provider';

export const TENANT = '0b1c4e6a-7d2f-4c1e-9a8b-5e6f7a8b9c0d';

/** The claims an account's ID token carries, beyond `sub`. */
export type AccountClaims = Record<string, unknown>;

export interface TestProvider {
  /** Shaped like Entra ID's: `http://127.0.0.1:PORT/{tenant}/v2.0`. */
  issuer: string;
  /** Accounts by login name: whatever is typed at the provider's sign-in form. */
  accounts: Map<string, AccountClaims>;
  /** Requests for the discovery document so far. */
  discoveries(): number;
  /** Registers the app as a client, once its callback address is known. */
  register(client: { clientId: string; clientSecret: string; redirectUri: string }): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1, shaped like Microsoft Entra ID for a web app:
 * issuer path `/{tenant}/v2.0`, app roles in `roles`, groups in `groups`, both in the ID token; PKCE
 * required; a client secret posted to the token endpoint. People sign in through oidc-provider's own
 * development pages (any password), as the login name typed there.
 */
export async function startTestProvider(): Promise<TestProvider> {
  let handle: RequestListener = (_req, res) => {
    res.writeHead(503).end();
  };
  let discoveries = 0;
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith('/.well-known/openid-configuration')) discoveries++;
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const mount = `/${TENANT}/v2.0`;
  const issuer = `http://127.0.0.1:${port}${mount}`;
  const accounts = new Map<string, AccountClaims>();

  return {
    issuer,
    accounts,
    discoveries: () => discoveries,
    register(client) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            redirect_uris: [client.redirectUri],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        pkce: { required: () => true },
        // Entra puts app roles and groups in the ID token whatever the scope asked for.
        claims: {
          openid: ['sub', 'roles', 'groups'],
          email: ['email'],
          profile: ['name', 'preferred_username'],
        },
        conformIdTokenClaims: false,
        cookies: { keys: ['vantage-test-provider'] },
        findAccount: (_ctx: unknown, id: string) => {
          const claims = accounts.get(id);
          return claims && { accountId: id, claims: () => ({ sub: id, ...claims }) };
        },
        features: { devInteractions: { enabled: true } },
      });
      const app = express();
      app.use(mount, provider.callback());
      handle = app;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
