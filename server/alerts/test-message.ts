import { randomUUID } from 'node:crypto';
import type { Channel, Estate } from '../config/schema.js';
import type { AlertMessage } from './message.js';

/**
 * The message the dashboard's "Send a test message" queues: plainly a test, about no incident, with a
 * fresh key each time so every press is delivered (a receiver drops a repeated key).
 */
export function testMessage(
  channel: Channel,
  estate: Estate,
  at: number,
  pageUrl: string,
  requestedBy: string,
): AlertMessage {
  const key = `test:${channel.id}:${randomUUID()}`;
  const organisationName =
    estate.organisations.find((o) => o.id === channel.organisation)?.name ?? channel.organisation;
  const when = new Date(at).toISOString();
  return {
    version: 1,
    event: 'test',
    idempotencyKey: key,
    at: when,
    alert: {
      id: key,
      rule: 'test',
      // Info: a test pages nobody; it says the channel works, not that anything is wrong.
      severity: 'info',
      title: 'This is a test message from Vantage',
      summary: `This is a test message from Vantage, sent by ${requestedBy} to check that alerts for ${organisationName} reach channel ${channel.name ?? channel.id}. Nothing is wrong and nothing needs doing.`,
      responsible: { organisation: channel.organisation, organisationName, role: 'owner' },
      checks: [],
      sites: [],
      startedAt: when,
      errorClasses: [],
      url: pageUrl,
    },
  };
}
