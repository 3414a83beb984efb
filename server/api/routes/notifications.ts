import { type Request, Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { audit } from '../../access/audit.js';
import { principalOf, roleOf } from '../../access/principal.js';
import { adminOnly, allow, read } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import type { AccessStore } from '../../store/access.js';
import { NOTIFICATION_STATES, type NotificationsStore } from '../../store/notifications.js';
import { ApiError, parseInput } from '../errors.js';
import {
  channelViews,
  type NotificationsResponse,
  type NotificationView,
  notificationView,
} from '../notification-views.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
const idText = z.string().regex(/^[1-9][0-9]{0,15}$/, 'a notification id (a whole number)');
const listQuery = z.strictObject({
  state: z.enum(NOTIFICATION_STATES as [string, ...string[]]).optional(),
  channel: z.string().max(100).optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, `a whole number from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_LIMIT, `a whole number from 1 to ${MAX_LIMIT}`)
    .optional(),
  before: idText.transform(Number).optional(),
});

type Stores = { notifications: NotificationsStore; access: AccessStore };

/**
 * The notification outbox, read by admins (every channel) and partners (their organisations'
 * channels); admins put an undelivered message back in its channel's queue.
 */
export function notificationRoutes(stores: Stores, clock: Clock, estate: () => Estate | undefined): Router {
  const router = Router();

  /** Which channels the caller may see: all for an admin, their organisations' for a partner. */
  const visibleTo = (req: Request): ((channel: string) => boolean) & { all?: true } => {
    const principal = principalOf(req);
    const role = roleOf(principal);
    if (role === 'admin') return Object.assign(() => true, { all: true as const });
    if (role !== 'partner')
      throw new ApiError(
        'forbidden',
        "the notifications need the admin role, or the partner role for the channels' organisations",
        { needs: 'admin or partner', have: role ?? null },
      );
    const own = principal.kind === 'user' || principal.kind === 'api-token' ? principal.organisations : [];
    const theirs = new Set(
      (estate()?.channels ?? []).filter((c) => own.includes(c.organisation)).map((c) => c.id),
    );
    return (channel) => theirs.has(channel);
  };

  router.get('/notifications', allow(read), async (req, res) => {
    const visible = visibleTo(req);
    const query = parseInput(listQuery, req.query, 'query');
    if (query.channel !== undefined && !visible(query.channel))
      throw new ApiError(
        'forbidden',
        `query parameter 'channel': channel '${query.channel}' is not one of your organisations' channels`,
        { needs: "a partner of the channel's organisation, or admin" },
      );
    const [last, pending, undelivered] = await Promise.all([
      stores.notifications.lastDeliveries(),
      stores.notifications.pendingSummary(),
      stores.notifications.undeliveredCounts(),
    ]);
    const channels = channelViews(
      visible,
      estate()?.channels ?? [],
      last,
      new Map(pending.map((row) => [row.channel, row.count])),
      undelivered,
    );
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await stores.notifications.list({
      ...(query.state ? { state: query.state as NotificationView['state'] } : {}),
      ...(query.channel !== undefined
        ? { channels: [query.channel] }
        : visible.all
          ? {}
          : { channels: channels.map((c) => c.id) }),
      ...(query.before !== undefined ? { before: query.before } : {}),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit).map(notificationView);
    const more = rows.length > limit ? items[items.length - 1] : undefined;
    res.json({ items, channels, ...(more ? { next: more.id } : {}) } satisfies NotificationsResponse);
  });

  router.post(
    '/notifications/:id/retry',
    allow(adminOnly('putting a notification back in the queue')),
    async (req, res) => {
      const text = String(req.params.id);
      const id = idText.safeParse(text).success ? Number(text) : undefined;
      const row = id === undefined ? undefined : await stores.notifications.notification(id);
      if (id === undefined || !row) throw new ApiError('not_found', `no notification with id '${text}'`);
      if (row.state !== 'undelivered')
        throw new ApiError(
          'conflict',
          `notification ${id} is ${row.state}: only an undelivered notification is put back in the queue`,
        );
      await stores.notifications.requeue(id, clock.now());
      await audit(stores.access, clock, req, {
        action: 'notification-retried',
        subject: `notification:${id}`,
        detail: { channel: row.channel, event: row.message.event, lastError: row.lastError },
      });
      const after = (await stores.notifications.notification(id)) ?? row;
      res.json(notificationView(after));
    },
  );

  return router;
}
