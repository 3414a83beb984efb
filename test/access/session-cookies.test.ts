import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionTimes, startSession } from '../../server/access/sessions.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { certificateFor, httpsGet } from '../helpers/certificates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const open: { server: Server; store: SqliteStores }[] = [];
afterEach(async () => {
  for (const { server, store } of open.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  }
});

/** A route that signs a user in, as the sign-in routes do, served over the given server. */
async function signingIn(make: (app: express.Express) => Server): Promise<string> {
  const store = SqliteStores.open(join(tmp(), 'access.db'));
  const now = Date.now();
  const user = await store.access.putUser({
    id: 'u1',
    email: 'cio@example.nhs.uk',
    name: 'The CIO',
    role: 'admin',
    organisations: [],
    source: 'local',
    passwordHash: null,
    claims: null,
    createdAt: now,
    updatedAt: now,
    lastSignInAt: null,
  });
  const app = express();
  app.get('/in', async (req, res) => {
    await startSession(store.access, req, res, user, sessionTimes(undefined), now);
    res.json({ ok: true });
  });
  const server = make(app);
  open.push({ server, store });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

describe('session cookies', () => {
  it('are Secure and bound to the host (__Host-) over HTTPS', async () => {
    const certificate = await certificateFor(tmp());
    const port = await signingIn((app) =>
      createHttpsServer({ cert: certificate.cert, key: certificate.key }, app),
    );
    const answer = await httpsGet(`https://127.0.0.1:${port}/in`, certificate.cert);
    const [cookie] = answer.headers['set-cookie'] as string[];
    expect(cookie).toMatch(
      /^__Host-vantage_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=43200$/,
    );
  });

  it('are HttpOnly and SameSite, without Secure, over plain HTTP', async () => {
    const port = await signingIn((app) => createHttpServer(app));
    const answer = await fetch(`http://127.0.0.1:${port}/in`);
    expect(answer.headers.getSetCookie()).toEqual([
      expect.stringMatching(
        /^vantage_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/,
      ),
    ]);
  });
});
