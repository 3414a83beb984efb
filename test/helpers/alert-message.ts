import type { ChannelContext } from '../../server/alerts/channels/index.js';
import type { AlertMessage } from '../../server/alerts/message.js';

/** An incident confined to one site, opened, as a rule would make it. */
export function openedMessage(overrides: Partial<AlertMessage['alert']> = {}): AlertMessage {
  return {
    version: 1,
    event: 'opened',
    idempotencyKey: 'inc-42:opened:riverside-it',
    at: '2026-12-03T09:45:00.000Z',
    alert: {
      id: 'inc-42',
      rule: 'consecutive-failures',
      severity: 'critical',
      title: 'Marsh Lane Centre: 5 systems unreachable since 09:42',
      summary: 'Five systems fail from Marsh Lane Centre only, since 09:42. Other sites reach them.',
      responsible: {
        organisation: 'eastfield',
        organisationName: 'Eastfield Mental Health NHS Trust',
        role: 'host',
      },
      site: { id: 'marsh-lane', name: 'Marsh Lane Centre' },
      checks: ['epr-login', 'gp-login', 'mail-up', 'scr-api', 'vdi-gateway'],
      sites: ['marsh-lane'],
      startedAt: '2026-12-03T09:42:00.000Z',
      errorClasses: ['timeout', 'refused'],
      firstFailure: {
        checkId: 'epr-login',
        vantagePoint: 'marsh-lane',
        startedAt: '2026-12-03T09:42:00.000Z',
        errorClass: 'timeout',
      },
      url: 'https://vantage.example.org/alerts/inc-42',
      ackUrl: 'https://vantage.example.org/alerts/inc-42/ack?token=signed',
      ...overrides,
    },
  };
}

/** The same incident, resolved. */
export function resolvedMessage(): AlertMessage {
  const opened = openedMessage({ resolvedAt: '2026-12-03T10:15:00.000Z', ackUrl: undefined });
  return {
    ...opened,
    event: 'resolved',
    idempotencyKey: 'inc-42:resolved:riverside-it',
    at: '2026-12-03T10:15:00.000Z',
  };
}

/** A context with a fixed clock and a short timeout. */
export function channelContext(overrides: Partial<ChannelContext> = {}): ChannelContext {
  return {
    timeoutMs: 2_000,
    clock: { now: () => Date.parse('2026-12-03T09:45:01.000Z') },
    env: {},
    version: '9.9.9',
    ...overrides,
  };
}
