import type { Request } from 'express';
import type { Clock } from '../../common/clock.js';
import type { AccessStore } from '../store/access.js';
import { actorOf, principalOf } from './principal.js';

export interface AuditEvent {
  action: string;
  subject?: string | null;
  detail?: Record<string, unknown> | null;
  /** Who, when not the request's principal (a failed sign-in names the account tried). */
  actor?: string;
}

/** Records who did what, when and from where (the request's address, as the trusted proxies give it). */
export async function audit(
  store: Pick<AccessStore, 'audit'>,
  clock: Clock,
  req: Request,
  event: AuditEvent,
): Promise<void> {
  await store.audit({
    at: clock.now(),
    actor: event.actor ?? actorOf(principalOf(req)),
    action: event.action,
    subject: event.subject ?? null,
    address: req.ip ?? null,
    detail: event.detail ?? null,
  });
}
