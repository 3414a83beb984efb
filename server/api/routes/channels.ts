import { type Request, Router } from 'express';
import type { Clock } from '../../../common/clock.js';
import type { Env } from '../../../common/env-references.js';
import { audit } from '../../access/audit.js';
import { principalOf, roleOf } from '../../access/principal.js';
import { actOn, allow, read } from '../../access/rules.js';
import type { Notifier } from '../../alerts/message.js';
import { testMessage } from '../../alerts/test-message.js';
import type { Estate } from '../../config/schema.js';
import type { AccessStore } from '../../store/access.js';
import type { NotificationsStore } from '../../store/notifications.js';
import { type ChannelsResponse, channelView } from '../channel-views.js';
import { ApiError } from '../errors.js';

type Stores = { notifications: NotificationsStore; access: AccessStore };

export interface ChannelRoutesDeps {
  stores: Stores;
  clock: Clock;
  estate: () => Estate | undefined;
  env: Env;
  /** Where test messages are queued; omitted, none can be sent (the API alone, without the outbox). */
  notifier?: Notifier;
  /** The demo's inbox page, where its channels deliver; omitted outside the demo. */
  demoInbox?: string;
}

const channelOf = (req: Request) => ({ kind: 'channel' as const, id: String(req.params.id) });

/**
 * The estate's channels for those who receive on them: admins see every one, partners their
 * organisations'; either sends a test message to one they may see, through the outbox like any alert.
 */
export function channelRoutes(deps: ChannelRoutesDeps): Router {
  const router = Router();

  router.get('/channels', allow(read), async (req, res) => {
    const principal = principalOf(req);
    const role = roleOf(principal);
    if (role !== 'admin' && role !== 'partner')
      throw new ApiError(
        'forbidden',
        "the channels need the admin role, or the partner role for the channels' organisations",
        { needs: 'admin or partner', have: role ?? null },
      );
    const own = principal.kind === 'user' || principal.kind === 'api-token' ? principal.organisations : [];
    const estate = deps.estate();
    const channels = (estate?.channels ?? []).filter(
      (channel) => role === 'admin' || own.includes(channel.organisation),
    );
    const [last, pending, undelivered] = await Promise.all([
      deps.stores.notifications.lastDeliveries(),
      deps.stores.notifications.pendingSummary(),
      deps.stores.notifications.undeliveredCounts(),
    ]);
    const figures = {
      last: new Map(last.map((row) => [row.channel, row])),
      pending: new Map(pending.map((row) => [row.channel, row.count])),
      undelivered,
    };
    const items = estate
      ? [...channels]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((channel) => channelView(channel, estate, deps.env, figures))
      : [];
    res.json({ items, ...(deps.demoInbox ? { demoInbox: deps.demoInbox } : {}) } satisfies ChannelsResponse);
  });

  router.post('/channels/:id/test', allow(actOn('sending a test message', channelOf)), async (req, res) => {
    const id = String(req.params.id);
    const estate = deps.estate();
    const channel = estate?.channels.find((c) => c.id === id);
    if (!estate || !channel) throw new ApiError('not_found', `no channel with id '${id}' in the estate`);
    if (!deps.notifier)
      throw new ApiError('unavailable', 'this server has no notification outbox to send through');
    const principal = principalOf(req);
    const who =
      principal.kind === 'user'
        ? principal.email
        : principal.kind === 'api-token'
          ? `API token ${principal.label ?? principal.tokenId}`
          : 'someone';
    const now = deps.clock.now();
    // The page the tester came from (behind a proxy, as its trusted proxy forwards it).
    const page = `${req.protocol}://${req.host}/notifications`;
    const message = testMessage(channel, estate, now, page, who);
    await deps.notifier.notify(channel.id, message);
    // Newest first: found among the last few even if alerting queued others for the channel meanwhile.
    const recent = await deps.stores.notifications.list({ channels: [channel.id], limit: 50 });
    const queued = recent.find((row) => row.idempotencyKey === message.idempotencyKey);
    const notification = queued ? String(queued.id) : null;
    await audit(deps.stores.access, deps.clock, req, {
      action: 'channel-test-sent',
      subject: `channel:${channel.id}`,
      detail: { organisation: channel.organisation, notification },
    });
    // A form posted from the dashboard without scripts goes back to the page, which shows how it went.
    if (req.is('application/x-www-form-urlencoded') && req.accepts(['json', 'html']) === 'html') {
      res.redirect(303, `/notifications?test=${notification ?? ''}#channel-${channel.id}`);
      return;
    }
    res.status(202).json({ notification, channel: channel.id, idempotencyKey: message.idempotencyKey });
  });

  return router;
}
