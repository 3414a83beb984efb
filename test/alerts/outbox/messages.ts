import type { AlertMessage } from '../../../server/alerts/message.js';

/** A message about incident `incident`, with its own key. */
export function message(
  key: string,
  incident = 'inc-1',
  event: AlertMessage['event'] = 'opened',
): AlertMessage {
  return {
    version: 1,
    event,
    idempotencyKey: key,
    at: '2026-11-24T09:42:00.000Z',
    alert: {
      id: incident,
      rule: 'consecutive-failures',
      severity: 'critical',
      title: 'Marsh Lane Centre: 5 systems unreachable since 09:42',
      summary: 'Five systems fail from Marsh Lane Centre only; Eastfield hosts the site.',
      responsible: {
        organisation: 'eastfield',
        organisationName: 'Eastfield Mental Health NHS Trust',
        role: 'host',
      },
      checks: ['epr-login'],
      sites: ['marsh-lane'],
      startedAt: '2026-11-24T09:42:00.000Z',
      errorClasses: ['timeout'],
      url: 'http://127.0.0.1/alerts/inc-1',
    },
  };
}
