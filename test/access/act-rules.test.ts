import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { authenticate } from '../../server/access/authenticate.js';
import { actOn, adminOnly, allow, provideAccessContext } from '../../server/access/rules.js';
import { errorHandler, notFound } from '../../server/api/errors.js';
import type { Estate } from '../../server/config/schema.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { ACT, ADMIN, type Callers, makeCallers, type Outcomes, outcomeOf, principals } from './callers.js';

const tmp = useTmpDir();
const now = Date.UTC(2026, 10, 24, 10, 30);

/**
 * The rules for acting and for administering, which the app's own routes (notes, users, tokens, the
 * audit log) are declared with: a small app of the real parts (the store, `authenticate`, the guards,
 * the error handler) with a route for each, asked by every kind of caller.
 */
function actingApp(store: SqliteStores, estate: Estate): express.Express {
  const app = express();
  provideAccessContext(app.locals, {
    estate: () => estate,
    onPageRefused: (_req, res) => res.redirect(303, '/sign-in'),
  });
  app.use(authenticate({ store: store.access, clock: { now: () => now }, access: () => estate.access }));
  const done: express.RequestHandler = (_req, res) => {
    res.status(201).json({ done: true });
  };
  app.post(
    '/systems/:id/notes',
    allow(actOn('adding a note', (req) => ({ kind: 'system', id: String(req.params.id) }))),
    done,
  );
  app.post(
    '/sites/:id/notes',
    allow(actOn('adding a note', (req) => ({ kind: 'site', id: String(req.params.id) }))),
    done,
  );
  app.get('/users', allow(adminOnly('listing users')), done);
  app.delete('/users/:id', allow(adminOnly('removing a user')), done);
  app.use(notFound);
  app.use(errorHandler(silentLogger));
  return app;
}

describe('acting on what an organisation answers for, and administering', () => {
  let store: SqliteStores;
  let app: express.Express;
  let callers: Callers;

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'access.db'));
    const estate = estateFrom(smallEstateYaml);
    await store.estate.syncEstate(estate, now);
    const agentToken = (await createAgentToken(store.agents, { site: 'st-annes', label: null, at: now }))
      .token;
    callers = await makeCallers(store, agentToken, now);
    app = actingApp(store, estate);
  });
  afterEach(async () => {
    await store.close();
  });

  // eastfield hosts marsh-lane: its partners act there, riverside's do not.
  const EASTFIELD: Outcomes = { ...ACT, 'partner-own': 403, 'partner-other': 'ok' };
  // No such system: anyone who could act on some system is let through, for the route to say 404.
  const UNKNOWN: Outcomes = { ...ACT, 'partner-other': 'ok' };
  const table: [string, string, Outcomes][] = [
    ['POST', '/systems/epr/notes', ACT],
    ['POST', '/sites/st-annes/notes', ACT],
    ['POST', '/sites/marsh-lane/notes', EASTFIELD],
    ['POST', '/systems/no-such-system/notes', UNKNOWN],
    ['GET', '/users', ADMIN],
    ['DELETE', '/users/someone', ADMIN],
  ];

  it.each(table)('%s %s', async (method, path, expected) => {
    const actual: Record<string, string | number> = {};
    for (const principal of principals) {
      const headers = callers.credentials(principal, method);
      const sent = request(app)[method.toLowerCase() as 'get' | 'post' | 'delete'](path).set(headers);
      actual[principal] = outcomeOf(await sent);
    }
    expect(actual).toEqual(expected);
  });

  it('says what is missing when it refuses', async () => {
    const other = callers.credentials('partner-other', 'POST');
    const refused = await request(app).post('/systems/epr/notes').set(other);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'forbidden',
      message:
        "adding a note on system 'epr' needs a partner of riverside (the system's owner), or admin; you act for eastfield",
      details: { needs: 'partner of riverside', have: 'partner' },
    });
    const viewer = await request(app).get('/users').set(callers.credentials('viewer', 'GET'));
    expect(viewer.body.error).toEqual({
      code: 'forbidden',
      message: 'listing users needs the admin role',
      details: { needs: 'admin', have: 'viewer' },
    });
  });

  it('takes a change made with a session cookie only with that session’s CSRF value', async () => {
    const { cookie, csrf } = callers.sessions['partner-own'];
    const without = await request(app).post('/systems/epr/notes').set('Cookie', cookie);
    expect(without.status).toBe(403);
    expect(without.body.error.details).toEqual({ needs: 'X-CSRF-Token' });
    const another = callers.sessions['partner-other'].csrf;
    const wrong = await request(app)
      .post('/systems/epr/notes')
      .set({ Cookie: cookie, 'X-CSRF-Token': another });
    expect(wrong.status).toBe(403);
    const right = await request(app).post('/systems/epr/notes').set({ Cookie: cookie, 'X-CSRF-Token': csrf });
    expect(right.status).toBe(201);
  });

  it('lets an API token act for its organisations, with no CSRF value (a browser never sends it by itself)', async () => {
    const riverside = await apiTokenFor(store, 'partner', ['riverside']);
    const own = await request(app).post('/systems/epr/notes').set('Authorization', `Bearer ${riverside}`);
    expect(own.status).toBe(201);
    const elsewhere = await request(app)
      .post('/sites/marsh-lane/notes')
      .set('Authorization', `Bearer ${riverside}`);
    expect(elsewhere.status).toBe(403);
  });
});
