import type { Request } from 'express';
import type { Clock } from '../../common/clock.js';
import type { AccessStore } from '../store/access.js';
import { actorOf, resolvePrincipal } from './principal.js';

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
    actor: event.actor ?? (await actorAsking(req)),
    action: event.action,
    subject: event.subject ?? null,
    address: req.ip ?? null,
    detail: event.detail ?? null,
  });
}

/**
 * Who is asking, found out here if the route's rule did not need to (routes open to anyone); a token
 * that is not honoured is recorded as anonymous rather than failing the record.
 */
async function actorAsking(req: Request): Promise<string> {
  try {
    return actorOf(await resolvePrincipal(req));
  } catch {
    return 'anonymous';
  }
}
