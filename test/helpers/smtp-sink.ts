import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SunkMail {
  from: string;
  to: string[];
  /** Whether the message came over TLS (STARTTLS or implicit). */
  secure: boolean;
  /** Who signed in, when someone did. */
  user?: string;
  raw: string;
}

export interface SmtpSink {
  port: number;
  mail: SunkMail[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1, port 0, that keeps every message it is given. */
export async function startSmtpSink(options: SMTPServerOptions): Promise<SmtpSink> {
  const mail: SunkMail[] = [];
  const server = new SMTPServer({
    logger: false,
    ...options,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mail.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          secure: session.secure,
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mail, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** One header's value, unfolded. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The decoded body of the part of this content type (quoted-printable or base64, as nodemailer chose). */
export function partOf(raw: string, contentType: string): string | undefined {
  const parts = raw.split(/\r?\n--[^\r\n]+/);
  const part = parts.find((p) => new RegExp(`^\\s*Content-Type: ${contentType}`, 'im').test(p));
  if (part === undefined) return undefined;
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(head ?? ''))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head ?? ''))
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}
