import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { declaredRoutes } from '../../server/access/route-rules.js';
import { createApp } from '../../server/api/app.js';
import { DemoInbox, INBOX_SIZE } from '../../server/demo/inbox/inbox.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
let store: SqliteStores;
let inbox: DemoInbox;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  store = SqliteStores.open(join(tmp(), 'demo.db'));
  inbox = new DemoInbox({ now: () => Date.UTC(2026, 11, 3, 10, 0) });
  const estate = estateFrom(smallEstateYaml);
  app = createApp({
    store,
    clock: { now: Date.now },
    logger: silentLogger,
    estate: () => estate,
    demoInbox: inbox,
  });
});
afterEach(async () => {
  await store.close();
});

describe("the demo inbox's routes (served with --demo only)", () => {
  it('has a rule for each: the webhook sink and the stylesheet open to anyone, the page for those signed in', () => {
    const rules = Object.fromEntries(
      declaredRoutes(app)
        .filter((route) => route.path.startsWith('/demo/'))
        .map((route) => [`${route.method} ${route.path}`, route.rule?.kind]),
    );
    expect(rules).toEqual({
      'POST /demo/inbox/webhook/:channel': 'anyone',
      'GET /demo/inbox/inbox.css': 'anyone',
      'GET /demo/inbox': 'page',
    });
  });

  it('keeps a posted JSON message with its key, and refuses what is not JSON or too large', async () => {
    const posted = await request(app)
      .post('/demo/inbox/webhook/riverside-on-call')
      .set('Idempotency-Key', 'k-1')
      .send({ event: 'test', alert: { title: 'This is a test message from Vantage' } });
    expect(posted.status).toBe(204);
    expect(inbox.messages()).toMatchObject([
      {
        kind: 'webhook',
        channel: 'riverside-on-call',
        idempotencyKey: 'k-1',
        title: 'This is a test message from Vantage',
      },
    ]);
    const text = await request(app)
      .post('/demo/inbox/webhook/x')
      .set('content-type', 'text/plain')
      .send('hello');
    expect(text.status).toBe(415);
    const huge = await request(app)
      .post('/demo/inbox/webhook/x')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
    expect(inbox.messages()).toHaveLength(1);
    expect(INBOX_SIZE).toBe(300);
  });

  it('shows the page to a signed-in viewer, escaped, and sends anyone else to sign in', async () => {
    await request(app)
      .post('/demo/inbox/webhook/hook')
      .send({ alert: { title: '<script>alert(1)</script>' } });
    const anonymous = await request(app).get('/demo/inbox').set('accept', 'text/html');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/sign-in?next=%2Fdemo%2Finbox');
    const viewer = await apiTokenFor(store, 'viewer');
    const page = await request(app).get('/demo/inbox').set('Authorization', `Bearer ${viewer}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Demo only');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
  });
});
