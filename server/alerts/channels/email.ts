import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createTransport } from 'nodemailer';
import { type SmtpSettings, tlsOf } from '../../config/smtp.js';
import type { AlertMessage, Delivery } from '../message.js';
import { emailHtml, emailText } from './email-body.js';
import { headline } from './render.js';
import type { ChannelSender } from './sender.js';

/** The domain Message-IDs are made in: the sender's, so they are unique to this economy's Vantage. */
function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.slice(address.lastIndexOf('@') + 1);
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Message-ID and threading. An incident's "opened" message has the incident's own id, and every later
 * message (reminder, escalated, acknowledged, resolved) replies to it, so mail clients show one thread
 * per incident. Every other message's id comes from its idempotency key: a retry of the same message
 * has the same id, which a mailbox can drop as a repeat.
 */
export function threading(message: AlertMessage, from: string) {
  const domain = domainOf(from);
  const incident = `<incident.${digest(message.alert.id)}@${domain}>`;
  if (message.event === 'test') return { messageId: `<${digest(message.idempotencyKey)}@${domain}>` };
  if (message.event === 'opened') return { messageId: incident };
  return {
    messageId: `<${digest(message.idempotencyKey)}@${domain}>`,
    inReplyTo: incident,
    references: [incident],
  };
}

export const emailSender: ChannelSender<'email'> = {
  async send(channel, message, context) {
    const smtp = context.smtp;
    if (smtp === undefined)
      return { ok: false, retryable: false, reason: 'no SMTP server: settings.smtp is not given' };
    let ca: string | undefined;
    try {
      ca = smtp.ca === undefined ? undefined : await readFile(smtp.ca, 'utf8');
    } catch {
      return { ok: false, retryable: true, reason: 'cannot read the CA file of settings.smtp' };
    }
    const transport = createTransport(transportOptions(smtp, ca, context.timeoutMs));
    try {
      const info = await transport.sendMail({
        from: smtp.from,
        to: channel.to,
        subject: headline(message),
        text: emailText(message),
        html: emailHtml(message),
        date: new Date(context.clock.now()),
        ...threading(message, smtp.from),
        headers: { 'X-Vantage-Event': message.event, 'X-Vantage-Incident': message.alert.id },
      });
      const refused = info.rejected.length;
      return {
        ok: true,
        detail:
          refused === 0
            ? `accepted for ${info.accepted.length} of ${channel.to.length} recipients`
            : `accepted for ${info.accepted.length} of ${channel.to.length} recipients; refused for ${refused}`,
      };
    } catch (error) {
      return smtpFailure(error, context.timeoutMs);
    } finally {
      transport.close();
    }
  },
};

function transportOptions(smtp: SmtpSettings, ca: string | undefined, timeoutMs: number) {
  const tls = tlsOf(smtp);
  return {
    host: smtp.host,
    port: smtp.port,
    secure: tls === 'implicit',
    requireTLS: tls === 'starttls',
    // A trusted relay is used as configured: no opportunistic upgrade that a broken relay could fail.
    ignoreTLS: tls === 'none',
    auth: smtp.user !== undefined ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    tls: ca === undefined ? undefined : { ca },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // A message is only ever text Vantage wrote: nothing it holds may make nodemailer read a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/**
 * An SMTP failure in words that never hold the password: a refused sign-in, a certificate or a
 * permanent (5xx) refusal will fail again; a server that is down, slow or busy (4xx) may not.
 */
export function smtpFailure(error: unknown, timeoutMs: number): Extract<Delivery, { ok: false }> {
  const { code, responseCode } = error as { code?: string; responseCode?: number };
  if (code === 'EAUTH' || code === 'ENOAUTH')
    return { ok: false, retryable: false, reason: 'the SMTP server refused the user name or password' };
  if (code === 'ETLS' || code === 'EREQUIRETLS')
    return {
      ok: false,
      retryable: false,
      reason: 'TLS with the SMTP server failed (it offers no STARTTLS, or its certificate is not trusted)',
    };
  if (typeof responseCode === 'number' && responseCode >= 500)
    return { ok: false, retryable: false, reason: `the SMTP server refused the message (${responseCode})` };
  if (typeof responseCode === 'number' && responseCode >= 400)
    return { ok: false, retryable: true, reason: `the SMTP server deferred the message (${responseCode})` };
  if (code === 'ETIMEDOUT')
    return {
      ok: false,
      retryable: true,
      reason: `no answer from the SMTP server within ${timeoutMs / 1000}s`,
    };
  const cause = (error as NodeJS.ErrnoException).message ?? '';
  if (/ECONNREFUSED/.test(cause)) return { ok: false, retryable: true, reason: 'connection refused' };
  if (/certificate|self.signed|CERT_/i.test(cause))
    return { ok: false, retryable: false, reason: "the SMTP server's certificate is not trusted" };
  return {
    ok: false,
    retryable: true,
    reason: `the SMTP server could not be reached (${code ?? 'unknown'})`,
  };
}
