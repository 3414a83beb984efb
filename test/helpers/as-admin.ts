import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createApiToken } from '../../server/access/api-tokens.js';
import type { AccessStore, Role } from '../../server/store/access.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';

/**
 * An API token's id and secret. The secret is base64url, so it may itself hold `_`: split at the first
 * two only.
 */
export function tokenParts(token: string): { id: string; secret: string } {
  const match = /^va[pt]_([0-9a-f]+)_(.+)$/.exec(token);
  if (!match?.[1] || !match[2]) throw new Error(`not a token: ${token.slice(0, 4)}…`);
  return { id: match[1], secret: match[2] };
}

/** Makes an API token straight in the store, as `vantage api-token create` would. */
export async function apiTokenFor(
  store: { access: AccessStore },
  role: Role = 'admin',
  organisations: string[] = [],
): Promise<string> {
  const made = await createApiToken(store.access, {
    role,
    organisations,
    label: 'test',
    createdBy: 'test',
    at: Date.now(),
  });
  return made.token;
}

/**
 * The app as an admin's script sees it: each request that brings no credentials of its own carries an
 * admin's API token. For tests of what the routes do, not of who may use them (test/access/ has those).
 */
export async function asAdmin(
  app: (req: IncomingMessage, res: ServerResponse) => void,
  store: { access: AccessStore },
): Promise<RequestListener> {
  const header = `Bearer ${await apiTokenFor(store)}`;
  return (req, res) => {
    if (!req.headers.authorization && !req.headers.cookie) req.headers.authorization = header;
    app(req, res);
  };
}

/**
 * An API token made in a database file (which a running server may hold: SQLite lets both in, as
 * `vantage api-token create` does), with its header.
 */
export async function apiTokenIn(
  dbFile: string,
  role: Role = 'admin',
  organisations: string[] = [],
): Promise<{ authorization: string }> {
  const store = SqliteStores.open(dbFile);
  try {
    return { authorization: `Bearer ${await apiTokenFor(store, role, organisations)}` };
  } finally {
    await store.close();
  }
}
