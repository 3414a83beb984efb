import type { Clock } from '../../../common/clock.js';
import type { Logger } from '../../../common/logger.js';
import type { Estate } from '../../config/schema.js';
import { DemoInbox } from './inbox.js';
import { startDemoSmtpSink } from './smtp-sink.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The demo's inbox and its mail server, listening where the demo estate's settings.smtp points (a
 * loopback address, plain SMTP). A port already taken (another demo running) is reported and the
 * demo carries on: its email then waits and is retried, as with any mail server that is down.
 */
export async function startDemoInbox(
  estate: Estate,
  clock: Clock,
  logger: Logger,
): Promise<{ inbox: DemoInbox; close: () => Promise<void> }> {
  const inbox = new DemoInbox(clock);
  const smtp = estate.settings.smtp;
  if (!smtp || !LOOPBACK.has(smtp.host) || smtp.tls !== 'none') {
    logger.warn('demo mail sink not started: settings.smtp does not point at this machine with tls: none', {
      host: smtp?.host ?? null,
    });
    return { inbox, close: async () => {} };
  }
  try {
    const sink = await startDemoSmtpSink(inbox, smtp.host, smtp.port);
    logger.info('demo mail sink listening', { address: `${smtp.host}:${sink.port}` });
    return { inbox, close: () => sink.close() };
  } catch (error) {
    logger.warn('demo mail sink not started: its port is taken; the demo email channels will retry', {
      address: `${smtp.host}:${smtp.port}`,
      error: (error as NodeJS.ErrnoException).code ?? String(error),
    });
    return { inbox, close: async () => {} };
  }
}
