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
        .filter((route) => route.path.includes('/demo/'))
        .map((route) => [`${route.method} ${route.path}`, route.rule?.kind]),
    );
    expect(rules).toEqual({
      'POST /demo/inbox/webhook/:channel': 'anyone',
      'GET /demo/inbox/inbox.css': 'anyone',
      'GET /api/v1/demo/inbox': 'read',
      'GET /demo/inbox/email/:id': 'page',
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

  it('gives the same messages as JSON, newest first, to anyone who may read', async () => {
    await request(app)
      .post('/demo/inbox/webhook/first')
      .send({ alert: { title: 'First' } });
    await request(app)
      .post('/demo/inbox/webhook/second')
      .send({ event: 'opened', alert: { title: 'Second' } });
    expect((await request(app).get('/api/v1/demo/inbox')).status).toBe(401);
    const viewer = await apiTokenFor(store, 'viewer');
    const answer = await request(app).get('/api/v1/demo/inbox').set('Authorization', `Bearer ${viewer}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items).toMatchObject([
      { kind: 'webhook', channel: 'second', title: 'Second', json: { event: 'opened' } },
      { kind: 'webhook', channel: 'first', title: 'First' },
    ]);
  });

  it("serves an email's HTML on its own with a policy that lets its inline styles apply and nothing run", async () => {
    const email = inbox.add({
      kind: 'email',
      from: 'vantage@demo.example.org',
      to: ['it@riverside.example.org'],
      subject: '[Opened] Wharf Road',
      text: 'Wharf Road',
      html: '<!doctype html><html><body style="color:#212b32"><h1 style="font-size:20px">Wharf Road</h1></body></html>',
    });
    const hook = inbox.add({ kind: 'webhook', channel: 'x', title: 'x', idempotencyKey: null, json: {} });
    const viewer = { Authorization: `Bearer ${await apiTokenFor(store, 'viewer')}` };
    const answer = await request(app).get(`/demo/inbox/email/${email.id}`).set(viewer);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.text).toContain('<h1 style="font-size:20px">Wharf Road</h1>');
    const policy = answer.headers['content-security-policy'] as string;
    expect(policy).toContain("style-src 'unsafe-inline'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('sandbox');
    expect(policy).not.toContain('script-src');
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
    const page = await request(app).get('/demo/inbox').set(viewer);
    expect(page.text).toContain(`src="/demo/inbox/email/${email.id}"`);
    expect(page.text).not.toContain('srcdoc');
    for (const id of [String(hook.id), '999', '0', '__proto__', '1e3'])
      expect((await request(app).get(`/demo/inbox/email/${id}`).set(viewer)).status, id).toBe(404);
    const anonymous = await request(app).get(`/demo/inbox/email/${email.id}`).set('accept', 'text/html');
    expect(anonymous.status).toBe(303);
  });
});
