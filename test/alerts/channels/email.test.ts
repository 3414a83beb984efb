import { afterEach, describe, expect, it } from 'vitest';
import { emailHtml } from '../../../server/alerts/channels/email-body.js';
import { sendTo } from '../../../server/alerts/channels/index.js';
import type { Channel } from '../../../server/config/schema.js';
import type { SmtpSettings } from '../../../server/config/smtp.js';
import { channelContext, openedMessage, resolvedMessage } from '../../helpers/alert-message.js';
import { certificateFor } from '../../helpers/certificates.js';
import { headerOf, partOf, type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.js';
import { useTmpDir } from '../../helpers/tmp.js';

const PASSWORD = 'correct-horse-battery-staple';
const tmp = useTmpDir();

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

const email: Channel = {
  id: 'riverside-it',
  organisation: 'riverside',
  type: 'email',
  to: ['it-alerts@riverside.example.org', 'on-call@riverside.example.org'],
};

/** NHSmail's way: STARTTLS on its port, then sign in; the sink's certificate is self-signed. */
async function startTlsSink() {
  const cert = await certificateFor(tmp());
  const started = await startSmtpSink({
    key: cert.key,
    cert: cert.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'vantage@nhs.net' && auth.password === PASSWORD)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
  });
  const smtp: SmtpSettings = {
    host: '127.0.0.1',
    port: started.port,
    from: 'Vantage <vantage@nhs.net>',
    user: 'vantage@nhs.net',
    password: PASSWORD,
    tls: 'starttls',
    ca: cert.certFile,
  };
  return { sink: started, smtp };
}

describe('the email channel', () => {
  it('sends over STARTTLS after signing in, with a subject, plain text and HTML that say the same', async () => {
    const started = await startTlsSink();
    sink = started.sink;
    const delivery = await sendTo(email, openedMessage(), channelContext({ smtp: started.smtp }));
    expect(delivery).toEqual({ ok: true, detail: 'accepted for 2 of 2 recipients' });
    const [mail] = sink.mail;
    expect(mail).toMatchObject({
      from: 'vantage@nhs.net',
      to: ['it-alerts@riverside.example.org', 'on-call@riverside.example.org'],
      secure: true,
      user: 'vantage@nhs.net',
    });
    const raw = mail?.raw ?? '';
    expect(headerOf(raw, 'Subject')).toBe('[Opened] Marsh Lane Centre: 5 systems unreachable since 09:42');
    expect(headerOf(raw, 'From')).toBe('Vantage <vantage@nhs.net>');
    expect(headerOf(raw, 'Content-Type')).toMatch(/^multipart\/alternative/);
    const text = partOf(raw, 'text/plain') ?? '';
    expect(text).toContain('Five systems fail from Marsh Lane Centre only');
    expect(text).toContain(
      'Responsible: Eastfield Mental Health NHS Trust (site host: confined to its sites)',
    );
    expect(text).toContain('Since: 3 Dec 2026, 09:42 GMT');
    expect(text).toContain('Acknowledge: https://vantage.example.org/alerts/inc-42/ack?token=signed');
    const html = partOf(raw, 'text/html') ?? '';
    expect(html).toContain(
      '<h1 style="font-size:20px">[Opened] Marsh Lane Centre: 5 systems unreachable since 09:42</h1>',
    );
    expect(html).toContain('<a href="https://vantage.example.org/alerts/inc-42">Open the incident</a>');
    expect(html).toContain('<th align="left" valign="top" style="padding:2px 12px 2px 0">Site</th>');
    expect(raw).not.toContain(PASSWORD);
  });

  it('threads an incident: the resolved message replies to the opened one, and a retry keeps its Message-ID', async () => {
    const started = await startTlsSink();
    sink = started.sink;
    const context = channelContext({ smtp: started.smtp });
    await sendTo(email, openedMessage(), context);
    await sendTo(email, resolvedMessage(), context);
    await sendTo(email, resolvedMessage(), context);
    const [opened, resolved, again] = sink.mail.map((mail) => mail.raw);
    const openedId = headerOf(opened ?? '', 'Message-ID');
    expect(openedId).toMatch(/^<incident\.[0-9a-f]{32}@nhs\.net>$/);
    expect(headerOf(resolved ?? '', 'Subject')).toBe(
      '[Resolved] Marsh Lane Centre: 5 systems unreachable since 09:42',
    );
    expect(headerOf(resolved ?? '', 'In-Reply-To')).toBe(openedId);
    expect(headerOf(resolved ?? '', 'References')).toBe(openedId);
    expect(headerOf(resolved ?? '', 'Message-ID')).not.toBe(openedId);
    expect(headerOf(again ?? '', 'Message-ID')).toBe(headerOf(resolved ?? '', 'Message-ID'));
  });

  it('sends over implicit TLS when told, as on port 465', async () => {
    const cert = await certificateFor(tmp());
    sink = await startSmtpSink({ secure: true, key: cert.key, cert: cert.cert, authOptional: true });
    const smtp: SmtpSettings = {
      host: '127.0.0.1',
      port: sink.port,
      from: 'vantage@nhs.net',
      tls: 'implicit',
      ca: cert.certFile,
    };
    expect(await sendTo(email, openedMessage(), channelContext({ smtp }))).toMatchObject({ ok: true });
    expect(sink.mail[0]).toMatchObject({ secure: true });
  });

  it('sends plain SMTP to a trusted relay without signing in, as to NHSmail on HSCN', async () => {
    sink = await startSmtpSink({ disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true });
    const smtp: SmtpSettings = { host: '127.0.0.1', port: sink.port, from: 'vantage@nhs.net', tls: 'none' };
    expect(await sendTo(email, openedMessage(), channelContext({ smtp }))).toMatchObject({ ok: true });
    expect(sink.mail[0]).toMatchObject({ secure: false, user: undefined });
  });

  it('gives up at once on a wrong password, without saying it', async () => {
    const started = await startTlsSink();
    sink = started.sink;
    const smtp = { ...started.smtp, password: 'a-wrong-password-here' };
    const delivery = await sendTo(email, openedMessage(), channelContext({ smtp }));
    expect(delivery).toEqual({
      ok: false,
      retryable: false,
      reason: 'the SMTP server refused the user name or password',
    });
    expect(sink.mail).toHaveLength(0);
  });

  it('gives up at once on a server that offers no STARTTLS when it is required, rather than send in the clear', async () => {
    sink = await startSmtpSink({ disabledCommands: ['STARTTLS'], authOptional: true });
    const smtp: SmtpSettings = {
      host: '127.0.0.1',
      port: sink.port,
      from: 'vantage@nhs.net',
      tls: 'starttls',
    };
    expect(await sendTo(email, openedMessage(), channelContext({ smtp }))).toEqual({
      ok: false,
      retryable: false,
      reason: 'TLS with the SMTP server failed (it offers no STARTTLS, or its certificate is not trusted)',
    });
    expect(sink.mail).toHaveLength(0);
  });

  it('tries again later when the server is down', async () => {
    const down = await startSmtpSink({ authOptional: true });
    await down.close();
    const smtp: SmtpSettings = { host: '127.0.0.1', port: down.port, from: 'vantage@nhs.net', tls: 'none' };
    expect(await sendTo(email, openedMessage(), channelContext({ smtp }))).toEqual({
      ok: false,
      retryable: true,
      reason: 'connection refused',
    });
  });

  it('tries again later when the server defers the message (4xx), and gives up when it refuses it (5xx)', async () => {
    const answers = [451, 550];
    sink = await startSmtpSink({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      onRcptTo(_address, _session, callback) {
        const code = answers.shift() ?? 250;
        callback(Object.assign(new Error(`refused with ${code}`), { responseCode: code }));
      },
    });
    const smtp: SmtpSettings = { host: '127.0.0.1', port: sink.port, from: 'vantage@nhs.net', tls: 'none' };
    const one: Channel = { ...email, to: ['it-alerts@riverside.example.org'] } as Channel;
    expect(await sendTo(one, openedMessage(), channelContext({ smtp }))).toEqual({
      ok: false,
      retryable: true,
      reason: 'the SMTP server deferred the message (451)',
    });
    expect(await sendTo(one, openedMessage(), channelContext({ smtp }))).toEqual({
      ok: false,
      retryable: false,
      reason: 'the SMTP server refused the message (550)',
    });
  });

  it('writes names into the HTML as text, never as markup', () => {
    const html = emailHtml(
      openedMessage({ site: { id: 'x', name: '<script>alert(1)</script> & "Ward 5"' } }),
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ward 5&quot;');
    expect(html).not.toContain('<script>');
  });
});
