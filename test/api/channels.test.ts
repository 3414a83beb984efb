import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenIn } from '../helpers/as-admin.js';
import { startReceiver } from '../helpers/receiver.js';
import { serveLoopback } from '../helpers/serve-loopback.js';
import { signedIn } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const KEY = 'T000/B000/a-webhook-key-in-its-path';

async function serve() {
  const receiver = await startReceiver({ status: 200, body: 'ok' });
  cleanups.push(() => receiver.close());
  const config = join(tmp(), 'estate.yaml');
  const db = join(tmp(), 'vantage.db');
  writeFileSync(
    config,
    `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
channels:
  - { id: riverside-hook, organisation: riverside, type: webhook, name: Riverside on-call, url: "${receiver.url}/services/\${HOOK_KEY}?token=abc" }
  - { id: eastfield-mail, organisation: eastfield, type: email, to: [it@eastfield.example.org, desk@eastfield.example.org] }
settings:
  smtp: { host: 127.0.0.1, port: 1, from: "Vantage <vantage@example.org>", tls: none }
`,
  );
  const server = await serveLoopback(config, db, { env: { HOOK_KEY: KEY } });
  cleanups.push(() => server.close());
  const url = (path: string) => new URL(path, server.url);
  return { receiver, db, server, url };
}

describe('GET /api/v1/channels and POST /api/v1/channels/:id/test', () => {
  it('lists where each channel sends without its secrets, and a test message reaches the receiver', async () => {
    const { receiver, db, url } = await serve();
    const admin = await apiTokenIn(db);
    const listed = await fetch(url('/api/v1/channels'), { headers: admin });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('token=abc');
    expect(text).not.toContain('services');
    const body = JSON.parse(text) as { items: Record<string, unknown>[] };
    // Outside the demo, no inbox is named.
    expect(body).not.toHaveProperty('demoInbox');
    expect(body.items.map((c) => [c.id, c.organisation, c.type, c.destination])).toEqual([
      ['eastfield-mail', 'eastfield', 'email', 'it@eastfield.example.org, desk@eastfield.example.org'],
      ['riverside-hook', 'riverside', 'webhook', receiver.url],
    ]);
    expect(body.items[1]).toMatchObject({ name: 'Riverside on-call', lastDelivery: null, pending: 0 });

    const sent = await fetch(url('/api/v1/channels/riverside-hook/test'), { method: 'POST', headers: admin });
    expect(sent.status).toBe(202);
    const answer = (await sent.json()) as { notification: string; idempotencyKey: string };
    expect(answer.notification).toMatch(/^[0-9]+$/);
    await until(
      async () => receiver.received.length,
      (n) => n === 1,
      10_000,
    );
    const [post] = receiver.received;
    expect(post?.path).toBe(`/services/${KEY}?token=abc`);
    expect(post?.headers['idempotency-key']).toBe(answer.idempotencyKey);
    expect(JSON.parse(post?.body ?? '{}')).toMatchObject({
      event: 'test',
      alert: { title: 'This is a test message from Vantage', severity: 'info' },
    });

    // A second press is a new message: a fresh key, delivered too.
    const again = await fetch(url('/api/v1/channels/riverside-hook/test'), {
      method: 'POST',
      headers: admin,
    });
    const second = (await again.json()) as { idempotencyKey: string };
    expect(second.idempotencyKey).not.toBe(answer.idempotencyKey);
    await until(
      async () => receiver.received.length,
      (n) => n === 2,
      10_000,
    );

    const after = await until(
      async () =>
        (await (await fetch(url('/api/v1/channels'), { headers: admin })).json()) as {
          items: { id: string; lastDelivery: { ok: boolean } | null }[];
        },
      (b) => b.items.find((c) => c.id === 'riverside-hook')?.lastDelivery?.ok === true,
      5_000,
    );
    expect(after.items.find((c) => c.id === 'riverside-hook')?.lastDelivery).toMatchObject({ ok: true });

    const store = SqliteStores.open(db);
    try {
      const log = await store.access.auditLog({ action: 'channel-test-sent', limit: 10 });
      expect(log.map((e) => e.subject)).toEqual(['channel:riverside-hook', 'channel:riverside-hook']);
    } finally {
      await store.close();
    }
  }, 30_000);

  it("shows partners their organisations' channels only, and lets them test those alone", async () => {
    const { db, url } = await serve();
    const partner = await apiTokenIn(db, 'partner', ['riverside']);
    const viewer = await apiTokenIn(db, 'viewer');
    const listed = (await (await fetch(url('/api/v1/channels'), { headers: partner })).json()) as {
      items: { id: string }[];
    };
    expect(listed.items.map((c) => c.id)).toEqual(['riverside-hook']);
    expect((await fetch(url('/api/v1/channels'), { headers: viewer })).status).toBe(403);

    const test = (id: string, headers: Record<string, string>) =>
      fetch(url(`/api/v1/channels/${id}/test`), { method: 'POST', headers });
    expect((await test('riverside-hook', partner)).status).toBe(202);
    const refused = await test('eastfield-mail', partner);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      "needs a partner of eastfield (the channel's organisation)",
    );
    expect((await test('riverside-hook', viewer)).status).toBe(403);
    const unknown = await test('no-such-channel', partner);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      "no channel with id 'no-such-channel' in the estate",
    );
  }, 30_000);

  it('takes the button as a form with the session CSRF value, and goes back to the page', async () => {
    const { db, url, receiver } = await serve();
    const store = SqliteStores.open(db);
    const person = await signedIn(store, {
      email: 'it@riverside.example.org',
      role: 'partner',
      organisations: ['riverside'],
    });
    await store.close();
    const post = (csrf: string) =>
      fetch(url('/api/v1/channels/riverside-hook/test'), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: person.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
    expect((await post('not-the-session-value')).status).toBe(403);
    const answer = await post(person.csrf);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toMatch(/^\/notifications\?test=[0-9]+#channel-riverside-hook$/);
    await until(
      async () => receiver.received.length,
      (n) => n === 1,
      10_000,
    );
    expect(JSON.parse(receiver.received[0]?.body ?? '{}').alert.summary).toContain(
      'sent by it@riverside.example.org',
    );
  }, 30_000);
});
