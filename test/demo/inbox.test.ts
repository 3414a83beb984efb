import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoInbox } from '../../server/demo/inbox/inbox.js';
import { readMail } from '../../server/demo/inbox/mime.js';
import { startDemoInbox } from '../../server/demo/inbox/start.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const clock = { now: () => Date.UTC(2026, 11, 3, 10, 0) };

describe('the demo inbox', () => {
  it('keeps the newest messages only, newest first', () => {
    const inbox = new DemoInbox(clock, 3);
    for (const n of [1, 2, 3, 4, 5])
      inbox.add({ kind: 'webhook', channel: 'c', title: `m${n}`, idempotencyKey: null, json: {} });
    expect(inbox.messages().map((m) => (m.kind === 'webhook' ? m.title : ''))).toEqual(['m5', 'm4', 'm3']);
  });

  it('reads back the subject, text and HTML of mail as nodemailer writes it, in any transfer encoding', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    for (const textEncoding of ['quoted-printable', 'base64'] as const) {
      const sent = await transport.sendMail({
        from: 'vantage@example.org',
        to: 'it@example.org',
        subject: '[Test] Café’s EPR — unreachable since 09:42',
        text: `Plain words, then a long line ${'x'.repeat(120)} and = signs.`,
        html: '<p>Some <b>HTML</b> with “quotes”</p>',
        textEncoding,
      });
      const mail = readMail((sent.message as Buffer).toString('utf8'));
      expect(mail.subject).toBe('[Test] Café’s EPR — unreachable since 09:42');
      expect(mail.text).toBe(`Plain words, then a long line ${'x'.repeat(120)} and = signs.`);
      expect(mail.html).toBe('<p>Some <b>HTML</b> with “quotes”</p>');
    }
  });

  it('carries on without its mail sink, saying so, when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as { port: number }).port;
    const estate = estateFrom(
      `${smallEstateYaml}settings:\n  smtp: { host: 127.0.0.1, port: ${port}, from: vantage@example.org, tls: none }\n`,
    );
    const warnings: string[] = [];
    const logger = { info() {}, error() {}, warn: (message: string) => warnings.push(message) };
    const started = await startDemoInbox(estate, clock, logger);
    cleanups.push(started.close);
    expect(warnings).toEqual([
      'demo mail sink not started: its port is taken; the demo email channels will retry',
    ]);
  });
});
