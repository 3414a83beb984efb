import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStores } from '../../../server/store/sqlite/stores.js';
import { startReceiver } from '../../helpers/receiver.js';
import { serveLoopback } from '../../helpers/serve-loopback.js';
import { headerOf, startSmtpSink } from '../../helpers/smtp-sink.js';
import { useTmpDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';
import { message } from '../outbox/messages.js';

const tmp = useTmpDir();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function estateText(smtpPort: number, hooks: Record<string, string>): string {
  const lines = Object.entries(hooks).map(
    ([id, url]) => `  - { id: ${id}, organisation: riverside, type: webhook, url: "${url}" }`,
  );
  return `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
channels:
  - { id: riverside-mail, organisation: riverside, type: email, to: [it-alerts@riverside.example.org] }
${lines.join('\n')}
settings:
  smtp: { host: 127.0.0.1, port: ${smtpPort}, from: "Vantage <vantage@riverside.example.org>", tls: none }
`;
}

describe('vantage serve sends to the channels of its estate', () => {
  it('delivers a message handed to its notifier by email and by webhook, each with its key', async () => {
    const sink = await startSmtpSink({ authOptional: true, disabledCommands: ['STARTTLS'] });
    cleanups.push(() => sink.close());
    const receiver = await startReceiver({ status: 204 });
    cleanups.push(() => receiver.close());
    const config = join(tmp(), 'estate.yaml');
    writeFileSync(config, estateText(sink.port, { 'riverside-hook': `${receiver.url}/hook` }));
    const server = await serveLoopback(config, join(tmp(), 'vantage.db'), { version: '1.2.3' });
    cleanups.push(() => server.close());

    await server.notifier.notify('riverside-mail', message('mail-key-1'));
    await server.notifier.notify('riverside-hook', message('hook-key-1'));

    await until(
      async () => sink.mail.length + receiver.received.length,
      (n) => n === 2,
      10_000,
    );
    const [mail] = sink.mail;
    expect(mail?.to).toEqual(['it-alerts@riverside.example.org']);
    expect(headerOf(mail?.raw ?? '', 'subject')).toContain('Marsh Lane Centre: 5 systems unreachable');
    expect(headerOf(mail?.raw ?? '', 'x-vantage-incident')).toBe('inc-1');
    const [post] = receiver.received;
    expect(post?.path).toBe('/hook');
    expect(post?.headers['idempotency-key']).toBe('hook-key-1');
    expect(post?.headers['user-agent']).toBe('Vantage/1.2.3');
    expect(JSON.parse(post?.body ?? '{}')).toMatchObject({ idempotencyKey: 'hook-key-1', event: 'opened' });
  }, 30_000);

  it('gives up a queued message at once, saying why, when a reload removed its channel', async () => {
    const sink = await startSmtpSink({ authOptional: true, disabledCommands: ['STARTTLS'] });
    cleanups.push(() => sink.close());
    // Down at first: the message waits in the queue for its retry.
    const receiver = await startReceiver({ status: 503, body: 'maintenance' });
    cleanups.push(() => receiver.close());
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, estateText(sink.port, { 'old-hook': `${receiver.url}/old` }));
    const server = await serveLoopback(config, db);
    cleanups.push(() => server.close());
    await server.notifier.notify('old-hook', message('old-key'));
    const stateOf = async () => {
      const store = SqliteStores.open(db);
      try {
        const [row] = await store.notifications.list({ channels: ['old-hook'], limit: 1 });
        return row;
      } finally {
        await store.close();
      }
    };
    const retrying = await until(stateOf, (row) => (row?.attempts ?? 0) >= 1, 10_000);
    expect(retrying).toMatchObject({ state: 'pending', lastError: expect.stringContaining('503') });

    writeFileSync(config, estateText(sink.port, {}));
    expect(await server.reload()).toMatchObject({ ok: true });
    const given = await until(stateOf, (row) => row?.state === 'undelivered', 15_000);
    expect(given?.state).toBe('undelivered');
    expect(given?.lastError).toBe(
      "channel 'old-hook' is no longer in the estate file: it was removed after this message was queued",
    );
    // Tried once only, before the reload: nothing was posted for it after.
    expect(receiver.received).toHaveLength(1);
  }, 30_000);
});
