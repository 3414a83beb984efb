import { SMTPServer } from 'smtp-server';
import type { DemoInbox } from './inbox.js';
import { readMail } from './mime.js';

/** An alert email is a few kilobytes: anything far larger is refused rather than held in memory. */
const MAX_MAIL_BYTES = 512 * 1024;

export interface DemoSmtpSink {
  port: number;
  close(): Promise<void>;
}

/**
 * The demo's mail server: plain SMTP on a loopback address, taking every message without sign-in and
 * keeping it in the demo inbox. Where the demo estate's settings.smtp points, so its email channels
 * deliver here.
 */
export async function startDemoSmtpSink(inbox: DemoInbox, host: string, port: number): Promise<DemoSmtpSink> {
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MAIL_BYTES,
    banner: 'Vantage demo mail sink',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('message too large for the demo inbox'), { responseCode: 552 }));
          return;
        }
        const mail = readMail(Buffer.concat(chunks).toString('utf8'));
        inbox.add({
          kind: 'email',
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          ...mail,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
